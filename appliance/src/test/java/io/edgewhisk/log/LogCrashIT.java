package io.edgewhisk.log;

import static io.edgewhisk.log.LogTesting.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real crash: a child JVM appends durable records and prints each acknowledged offset; the test
 * kills it with SIGKILL mid-stream, reopens the log and checks that every acknowledged record is
 * there, intact, at its offset. Three rounds on the same log, so recovery follows recovery.
 */
class LogCrashIT {
  @TempDir
  Path dir;
  Process child;
  Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    if (child != null && child.isAlive()) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    await(vertx.close());
  }

  @Test
  void everyAcknowledgedDurableRecordSurvivesSigkill() throws Exception {
    long expectedEnd = 0;
    for (int round = 0; round < 3; round++) {
      Map<Long, Long> acked = runAndKill(round * 10_000_000L, 1500 + round * 700);
      assertTrue(acked.size() >= 1500, "acknowledged only " + acked.size());
      AppendLog log = await(FileAppendLog.open(vertx, LogConfig.defaults(dir), LogFiles.standard(),
          Clock.systemUTC()));
      try {
        long end = log.endOffset(Topic.INVOKE);
        long maxAcked = acked.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(end > maxAcked, "log ends at " + end + " but offset " + maxAcked + " was acknowledged");
        assertTrue(end >= expectedEnd + acked.size(), "records lost: end " + end);
        long offset = 0;
        while (offset < end) {
          List<LogRecord> batch = await(log.read(Topic.INVOKE, offset, 1000, 4 << 20));
          for (LogRecord r : batch) {
            assertEquals(offset, r.offset(), "offsets are dense");
            Long seed = acked.get(r.offset());
            if (seed != null) {
              assertArrayEquals(LogCrashChild.value(seed), r.bytes(), "record " + r.offset());
            }
            offset++;
          }
        }
        expectedEnd = end;
      } finally {
        await(log.close());
      }
    }
  }

  /** Runs the child until it has acknowledged {@code acks} records, kills it; answers offset → seed. */
  private Map<Long, Long> runAndKill(long firstSeed, int acks) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // the killed child cannot clean up after itself: its Vert.x cache folder goes where the build's does
    String cacheDir = "-Dvertx.cacheDirBase=" + System.getProperty("vertx.cacheDirBase", System.getProperty("java.io.tmpdir"));
    child = new ProcessBuilder(java, cacheDir, "-cp", System.getProperty("java.class.path"), LogCrashChild.class.getName(),
        dir.toString(), Long.toString(firstSeed), "64")
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    Map<Long, Long> acked = new HashMap<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        String[] parts = line.split(" ");
        if (parts.length == 3 && parts[0].equals("ack")) {
          acked.put(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
          if (acked.size() == acks) {
            // SIGKILL on Linux: no shutdown hook, no close, appends in flight. Through the handle,
            // because Process.destroyForcibly also closes our end of its output, which still holds
            // acknowledgements to read.
            child.toHandle().destroyForcibly();
          }
        } else if (line.startsWith("failed")) {
          throw new AssertionError("the child's append failed: " + line);
        }
      }
    }
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, child.exitValue(), "killed by SIGKILL");
    return acked;
  }
}
