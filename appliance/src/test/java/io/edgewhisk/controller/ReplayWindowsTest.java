package io.edgewhisk.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayWindowsTest {
  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A start-up of the appliance: a fresh object over the same file, as after a crash. */
  private ReplayWindows startUp(long committed, long end) throws Exception {
    ReplayWindows w = new ReplayWindows(vertx, dir.resolve("invoke-replays"));
    w.begin(committed, end).await(10, TimeUnit.SECONDS);
    return w;
  }

  @Test
  void triesGrowWithEachStartUpThatReplaysTheRecordAndSurviveRestarts() throws Exception {
    assertEquals(2, startUp(10, 15).tries(12), "its first run and this replay");
    assertEquals(1, startUp(10, 15).tries(20), "a record after the window was run once");
    ReplayWindows third = startUp(12, 30);
    assertEquals(4, third.tries(12), "replayed at three start-ups");
    assertEquals(2, third.tries(20));
  }

  @Test
  void windowsWhollyCommittedAreForgotten() throws Exception {
    startUp(0, 5);
    startUp(5, 8);
    ReplayWindows w = startUp(8, 8);
    assertEquals(1, w.tries(7));
    assertEquals("", Files.readString(dir.resolve("invoke-replays")));
  }
}
