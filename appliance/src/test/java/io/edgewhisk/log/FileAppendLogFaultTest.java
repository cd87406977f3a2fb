package io.edgewhisk.log;

import static io.edgewhisk.log.LogTesting.await;
import static io.edgewhisk.log.LogTesting.awaitFailure;
import static io.edgewhisk.log.LogTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file log on a failing disk: failed appends are reported, nothing is acknowledged that is not
 * written (or, if durable, synced), the log stays consistent, and a reopen recovers.
 */
class FileAppendLogFaultTest {
  static final Topic T = Topic.INVOKE;
  static Vertx vertx;

  @TempDir
  Path dir;
  final FaultyLogFiles disk = new FaultyLogFiles();
  AppendLog log;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  @AfterEach
  void closeLog() {
    if (log != null) {
      await(log.close());
    }
  }

  void open() {
    open(LogTesting.config(dir));
  }

  void open(LogConfig config) {
    log = await(FileAppendLog.open(vertx, config, disk, Clock.systemUTC()));
  }

  void reopenOnAGoodDisk() {
    await(log.close());
    disk.heal();
    open();
  }

  long append(String value, boolean durable) {
    return await(log.append(T, LogTesting.bytes(value), durable));
  }

  List<String> all() {
    return await(log.read(T, 0, 10_000, 1 << 24)).stream().map(LogTesting::text).toList();
  }

  @Test
  void durableAppendsShareFsyncsAndOthersNeedNone() {
    open(LogConfig.defaults(dir));
    List<io.vertx.core.Future<Long>> plain = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      plain.add(log.append(T, LogTesting.bytes("plain " + i), false));
    }
    await(io.vertx.core.Future.all(plain));
    assertEquals(0, disk.forces.get(), "a non-durable append waits for no fsync (and no segment rolled)");
    List<io.vertx.core.Future<Long>> durable = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      durable.add(log.append(T, LogTesting.bytes("durable " + i), true));
    }
    await(io.vertx.core.Future.all(durable));
    long forces = disk.forces.get();
    assertTrue(forces >= 1 && forces <= 20, "200 durable appends took " + forces + " fsyncs");
  }

  @Test
  void aSyncMakesTheAppendsBeforeItDurableWithOneFsync() {
    open(LogConfig.defaults(dir));
    // called from one context, as a verticle calls the log (from a test thread each call would get a context
    // of its own, and their answers could run in any order on different event loops)
    List<io.vertx.core.Future<Long>> plain = new java.util.ArrayList<>();
    io.vertx.core.Promise<Boolean> appendsDoneFirst = io.vertx.core.Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> {
      for (int i = 0; i < 100; i++) {
        plain.add(log.append(T, LogTesting.bytes("plain " + i), false));
      }
      log.sync(T).onComplete(done -> appendsDoneFirst.complete(
          done.succeeded() && plain.stream().allMatch(io.vertx.core.Future::succeeded)));
    });
    assertTrue(await(appendsDoneFirst.future()), "the sync is answered after the appends before it");
    assertEquals(1, disk.forces.get(), "one fsync for the 100 appends before the sync");
    await(log.sync(Topic.of("never-written")));
    assertEquals(1, disk.forces.get(), "a topic never written needs no fsync");
  }

  @Test
  void aGroupCommitDelayGathersAppendsThatArriveOneByOne() throws Exception {
    LogConfig d = LogConfig.defaults(dir);
    open(new LogConfig(dir, d.segmentBytes(), d.maxRecordBytes(), d.retention(), d.topicRetention(),
        d.diskCapBytes(), d.groupCommitMaxBatch(), java.time.Duration.ofMillis(200), d.retentionCheckInterval(),
        d.redeliveryDelay()));
    List<io.vertx.core.Future<Long>> durable = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      durable.add(log.append(T, LogTesting.bytes("durable " + i), true));
      Thread.sleep(5);
    }
    await(io.vertx.core.Future.all(durable));
    assertTrue(disk.forces.get() <= 2, "10 durable appends within the delay took " + disk.forces.get() + " fsyncs");
  }

  @Test
  void aFailedWriteFailsItsAppendsAndTheNextOnesSucceed() {
    open();
    assertEquals(0, append("a", true));
    disk.failWrites = new IOException("Input/output error");
    assertEquals("Input/output error", awaitFailure(log.append(T, LogTesting.bytes("b"), true)).getMessage());
    assertInstanceOf(IOException.class, awaitFailure(log.append(T, LogTesting.bytes("c"), false)));
    assertEquals(1, log.endOffset(T));
    disk.heal();
    assertEquals(1, append("d", true));
    assertEquals(List.of("a", "d"), all());
    reopenOnAGoodDisk();
    assertEquals(List.of("a", "d"), all());
    assertEquals(2, append("e", true));
  }

  @Test
  void aFullDiskPartWayThroughARecordIsCutBack() throws IOException {
    open();
    append("first", true);
    Path segment = dir.resolve("invoke").resolve(Segment.fileName(0));
    long good = Files.size(segment);
    disk.freeBytes.set(30);
    Throwable failure = awaitFailure(log.append(T, LogTesting.bytes("x".repeat(100)), true));
    assertEquals("No space left on device", failure.getMessage());
    assertEquals(good, Files.size(segment), "the torn record is cut off at once");
    assertEquals(1, log.endOffset(T));
    assertTrue(log.health().healthy());
    disk.heal();
    assertEquals(1, append("second", true));
    reopenOnAGoodDisk();
    assertEquals(List.of("first", "second"), all());
  }

  @Test
  void shortWritesAreCompleted() {
    open();
    disk.maxBytesPerWrite = 7;
    for (int i = 0; i < 20; i++) {
      assertEquals(i, append("value " + i, i % 3 == 0));
    }
    reopenOnAGoodDisk();
    assertEquals(20, all().size());
    assertEquals("value 19", all().get(19));
  }

  @Test
  void aFailedFsyncFailsTheDurableAppendsAndStopsTheTopicUntilReopened() {
    open();
    assertEquals(0, append("acknowledged", true));
    disk.failForce = new IOException("Input/output error");
    assertInstanceOf(IOException.class, awaitFailure(log.append(T, LogTesting.bytes("not durable"), true)));
    assertFalse(log.health().healthy());
    disk.heal();
    // the kernel may have dropped the pages it could not write: nothing more is taken until recovery
    assertInstanceOf(IOException.class, awaitFailure(log.append(T, LogTesting.bytes("later"), false)));
    reopenOnAGoodDisk();
    assertNull(log.health().failure());
    List<String> records = all();
    assertEquals("acknowledged", records.get(0));
    long next = append("after recovery", true);
    assertEquals(records.size(), next);
  }

  @Test
  void aWriteThatCannotEvenBeCutBackStopsTheTopicAndRecoveryCutsIt() {
    open();
    append("kept", true);
    disk.freeBytes.set(10);
    disk.failTruncate = new IOException("Read-only file system");
    awaitFailure(log.append(T, LogTesting.bytes("y".repeat(50)), true));
    assertFalse(log.health().healthy());
    reopenOnAGoodDisk();
    assertEquals(List.of("kept"), all());
    assertEquals(1, append("next", true));
  }

  @Test
  void aFailedCommitIsReportedAndTheOldOffsetStays() {
    open();
    append("a", true);
    append("b", true);
    await(log.commit(T, "sync", 1));
    disk.failForce = new IOException("Input/output error");
    awaitFailure(log.commit(T, "sync", 2));
    assertEquals(1L, await(log.committed(T, "sync")));
    reopenOnAGoodDisk();
    assertEquals(1L, await(log.committed(T, "sync")));
  }

  @Test
  void readsSeeOnlyRecordsThatWereWritten() {
    open();
    append("a", false);
    disk.failWrites = new IOException("Input/output error");
    awaitFailure(log.append(T, LogTesting.bytes("b"), false));
    assertEquals(List.of("a"), await(log.read(T, 0, 10, 1000)).stream().map(r -> text(r)).toList());
  }
}
