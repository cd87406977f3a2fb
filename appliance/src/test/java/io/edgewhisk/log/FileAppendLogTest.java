package io.edgewhisk.log;

import static io.edgewhisk.log.LogTesting.await;
import static io.edgewhisk.log.LogTesting.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the file log does: recovery of a torn tail, reopening, concurrency, the directory lock. */
class FileAppendLogTest {
  static final Topic T = Topic.INVOKE;
  static Vertx vertx;

  @TempDir
  Path dir;
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

  AppendLog open(Path at) {
    return await(FileAppendLog.open(vertx, LogTesting.config(at), LogFiles.standard(), Clock.systemUTC()));
  }

  static byte[] value(int i, int length) {
    byte[] b = new byte[length];
    new Random(i).nextBytes(b);
    return b;
  }

  /**
   * Ten durable records of 100 bytes (124 on disk, 8 to a 1 KiB segment) but the last of 40, closed:
   * answers the tail segment, which holds records 8 and 9.
   */
  Path tenRecords(Path at) {
    AppendLog l = open(at);
    for (int i = 0; i < 10; i++) {
      await(l.append(T, value(i, i == 9 ? 40 : 100), true));
    }
    await(l.close());
    return at.resolve("invoke").resolve(Segment.fileName(8));
  }

  void assertRecovered(Path at, int expected) {
    log = open(at);
    assertEquals(expected, log.endOffset(T));
    List<LogRecord> records = await(log.read(T, 0, 100, 1 << 20));
    assertEquals(expected, records.size());
    for (LogRecord r : records) {
      byte[] expectedValue = r.offset() < 9 ? value((int) r.offset(), 100)
          : r.offset() == 9 ? value(9, 40) : value(99, 10);
      assertArrayEquals(expectedValue, r.bytes());
    }
    assertEquals(expected, await(log.append(T, value(99, 10), true)));
    await(log.close());
    log = null;
  }

  @Test
  void aTailTornAtAnyByteOfTheLastRecordLosesOnlyThatRecord() throws IOException {
    int lastRecordBytes = RecordFormat.sizeOf(40);
    for (int cut = 1; cut <= lastRecordBytes; cut++) {
      Path at = dir.resolve("cut" + cut);
      Path tail = tenRecords(at);
      try (FileChannel c = FileChannel.open(tail, StandardOpenOption.WRITE)) {
        c.truncate(c.size() - cut);
      }
      assertRecovered(at, 9);
    }
  }

  @Test
  void aBadCrcAtTheTailLosesOnlyThatRecord() throws IOException {
    Path tail = tenRecords(dir);
    flipByte(tail, Files.size(tail) - 5);
    assertRecovered(dir, 9);
  }

  @Test
  void aBadLengthAtTheTailLosesOnlyThatRecord() throws IOException {
    Path tail = tenRecords(dir);
    long lastStart = Files.size(tail) - RecordFormat.sizeOf(40);
    try (RandomAccessFile f = new RandomAccessFile(tail.toFile(), "rw")) {
      f.seek(lastStart);
      f.writeInt(1_000_000);
    }
    assertRecovered(dir, 9);
  }

  @Test
  void garbageAfterTheLastRecordIsCutOff() throws IOException {
    Path tail = tenRecords(dir);
    byte[] garbage = new byte[300];
    new Random(7).nextBytes(garbage);
    Files.write(tail, garbage, StandardOpenOption.APPEND);
    assertRecovered(dir, 10);
    Files.write(tail, new byte[4096], StandardOpenOption.APPEND);
    assertRecovered(dir, 11);
  }

  @Test
  void anEmptyTailAfterARollGivesWayToTheSegmentBefore() throws IOException {
    Path tail = tenRecords(dir);
    try (FileChannel c = FileChannel.open(tail, StandardOpenOption.WRITE)) {
      c.truncate(0);
    }
    assertRecovered(dir, 8);
  }

  @Test
  void reopeningContinuesOffsetsAndReadsEverySegment() {
    log = open(dir);
    for (int i = 0; i < 50; i++) {
      assertEquals(i, await(log.append(T, value(i, 60), i % 2 == 0)));
    }
    await(log.close());
    log = open(dir);
    assertEquals(50, log.endOffset(T));
    assertEquals(50, await(log.append(T, value(50, 60), true)));
    List<LogRecord> all = await(log.read(T, 0, 1000, 1 << 20));
    assertEquals(LongStream.range(0, 51).boxed().toList(), all.stream().map(LogRecord::offset).toList());
    for (LogRecord r : all) {
      assertArrayEquals(value((int) r.offset(), 60), r.bytes());
    }
    assertTrue(log.health().topics().get("invoke").segments() > 3);
  }

  @Test
  void corruptionInsideASealedSegmentFailsTheReadInsteadOfHandingOutBadData() throws IOException {
    tenRecords(dir);
    flipByte(dir.resolve("invoke").resolve(Segment.fileName(0)), 100);
    log = open(dir);
    assertInstanceOf(IOException.class, awaitFailure(log.read(T, 0, 100, 1 << 20)));
    assertEquals(9L, await(log.read(T, 9, 100, 1 << 20)).get(0).offset());
  }

  @Test
  void aSecondOpenOfTheSameDirectoryIsRefused() {
    log = open(dir);
    Throwable e = awaitFailure(FileAppendLog.open(vertx, LogTesting.config(dir), LogFiles.standard(),
        Clock.systemUTC()));
    assertInstanceOf(IOException.class, e);
  }

  @Test
  void concurrentAppendersGetUniqueDenseOffsets() throws Exception {
    log = open(dir);
    int threads = 8;
    int each = 400;
    ConcurrentHashMap<Long, Integer> byOffset = new ConcurrentHashMap<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch done = new CountDownLatch(threads * each);
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread th = new Thread(() -> {
        for (int i = 0; i < each; i++) {
          int id = thread * each + i;
          Future<Long> f = log.append(T, value(id, 20 + id % 50), id % 3 != 0);
          f.onComplete(r -> {
            if (r.failed()) {
              failures.add(r.cause());
            } else if (byOffset.put(r.result(), id) != null) {
              failures.add(new AssertionError("offset " + r.result() + " given twice"));
            }
            done.countDown();
          });
        }
      });
      started.add(th);
      th.start();
    }
    for (Thread th : started) {
      th.join();
    }
    assertTrue(done.await(60, TimeUnit.SECONDS));
    assertEquals(List.of(), failures);
    assertEquals(threads * each, byOffset.size());
    assertEquals(threads * each - 1L, byOffset.keySet().stream().mapToLong(Long::longValue).max().orElseThrow());
    await(log.close());
    log = open(dir);
    List<LogRecord> all = await(log.read(T, 0, 100_000, 1 << 24));
    assertEquals(threads * each, all.size());
    for (LogRecord r : all) {
      int id = byOffset.get(r.offset());
      assertArrayEquals(value(id, 20 + id % 50), r.bytes());
    }
  }

  @Test
  void aReaderTailingTheLogWhileSegmentsRollSeesEveryRecordIntact() throws Exception {
    log = open(dir);
    int total = 3000;
    Thread writer = new Thread(() -> {
      for (int i = 0; i < total; i++) {
        log.append(T, value(i, 10 + i % 200), i % 10 == 0);
      }
    });
    writer.start();
    long next = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (next < total && System.nanoTime() < deadline) {
      for (LogRecord r : await(log.read(T, next, 50, 4096))) {
        assertEquals(next, r.offset());
        assertArrayEquals(value((int) next, 10 + (int) next % 200), r.bytes());
        next++;
      }
    }
    writer.join();
    assertEquals(total, next);
    assertTrue(log.health().topics().get("invoke").segments() > 100);
  }

  static void flipByte(Path file, long position) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(position);
      int b = f.read();
      f.seek(position);
      f.write(b ^ 0x5a);
    }
  }
}
