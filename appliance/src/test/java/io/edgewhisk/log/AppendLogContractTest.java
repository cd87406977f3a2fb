package io.edgewhisk.log;

import static io.edgewhisk.log.LogTesting.await;
import static io.edgewhisk.log.LogTesting.awaitFailure;
import static io.edgewhisk.log.LogTesting.bytes;
import static io.edgewhisk.log.LogTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link AppendLog} must do, run against the file and the in-memory implementation. Records
 * of 100 bytes take 124 on disk, so a 1 KiB segment holds 8.
 */
abstract class AppendLogContractTest {
  static final Topic INVOKE = Topic.INVOKE;
  static final Topic OTHER = Topic.of("other");

  static Vertx vertx;

  @TempDir
  Path dir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  AppendLog log;

  /** Opens the implementation under test on {@code config}. */
  abstract AppendLog open(LogConfig config);

  /** What a process restart is for the implementation (the in-memory log simply stays). */
  abstract AppendLog restart(AppendLog log, LogConfig config);

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

  static byte[] record(int i) {
    String s = String.format("record-%06d-", i);
    return bytes((s + "x".repeat(100)).substring(0, 100));
  }

  long append(Topic topic, int i, boolean durable) {
    return await(log.append(topic, record(i), durable));
  }

  void appendRange(Topic topic, int from, int to) {
    for (int i = from; i < to; i++) {
      assertEquals(i, append(topic, i, i % 2 == 0));
    }
  }

  static void eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met in time");
      Thread.sleep(10);
    }
  }

  @Test
  void appendsGetDenseOffsetsAndReadBackInOrder() {
    log = open(LogTesting.config(dir));
    appendRange(INVOKE, 0, 30);
    List<LogRecord> records = await(log.read(INVOKE, 0, 100, 1 << 20));
    assertEquals(LongStream.range(0, 30).boxed().toList(), records.stream().map(LogRecord::offset).toList());
    for (LogRecord r : records) {
      assertEquals(text(r), new String(record((int) r.offset()), java.nio.charset.StandardCharsets.UTF_8));
      assertEquals(clock.millis(), r.timestamp());
    }
    assertEquals(30, log.endOffset(INVOKE));
  }

  @Test
  void futuresCompleteOnTheCallersContext() {
    log = open(LogTesting.config(dir));
    io.vertx.core.Context context = vertx.getOrCreateContext();
    io.vertx.core.Promise<List<Boolean>> onContext = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      List<Boolean> same = Collections.synchronizedList(new ArrayList<>());
      log.append(INVOKE, record(0), true)
          .andThen(r -> same.add(vertx.getOrCreateContext() == context))
          .compose(offset -> log.append(INVOKE, record(1), false))
          .andThen(r -> same.add(vertx.getOrCreateContext() == context))
          .compose(offset -> log.read(INVOKE, 0, 10, 1 << 20))
          .andThen(r -> same.add(vertx.getOrCreateContext() == context))
          .compose(records -> log.commit(INVOKE, "invoker", 2))
          .andThen(r -> same.add(vertx.getOrCreateContext() == context))
          .onComplete(r -> onContext.complete(List.copyOf(same)));
    });
    assertEquals(List.of(true, true, true, true), await(onContext.future()));
  }

  @Test
  void topicsHaveTheirOwnOffsets() {
    log = open(LogTesting.config(dir));
    assertEquals(0, append(INVOKE, 0, true));
    assertEquals(1, append(INVOKE, 1, false));
    assertEquals(0, append(OTHER, 2, true));
    assertEquals(0, log.endOffset(Topic.of("never-written")));
    assertEquals(List.of(), await(log.read(Topic.of("never-written"), 0, 10, 1000)));
    assertEquals(List.of(0L), await(log.read(OTHER, 0, 10, 1000)).stream().map(LogRecord::offset).toList());
  }

  @Test
  void readsStopAtMaxRecordsAndMaxBytesButGiveAtLeastOne() {
    log = open(LogTesting.config(dir));
    appendRange(INVOKE, 0, 20);
    assertEquals(List.of(5L, 6L, 7L, 8L), offsets(await(log.read(INVOKE, 5, 4, 1 << 20))));
    assertEquals(List.of(3L, 4L, 5L), offsets(await(log.read(INVOKE, 3, 100, 300))));
    assertEquals(List.of(7L), offsets(await(log.read(INVOKE, 7, 100, 1))));
    assertEquals(List.of(18L, 19L), offsets(await(log.read(INVOKE, 18, 100, 1 << 20))));
    assertEquals(List.of(), await(log.read(INVOKE, 20, 100, 1 << 20)));
    assertInstanceOf(IllegalArgumentException.class, awaitFailure(log.read(INVOKE, -1, 10, 10)));
  }

  @Test
  void aRecordOverTheMaximumIsRefused() {
    log = open(LogTesting.config(dir));
    assertInstanceOf(IllegalArgumentException.class,
        awaitFailure(log.append(INVOKE, new byte[(1 << 16) + 1], true)));
    assertEquals(0, log.endOffset(INVOKE));
  }

  @Test
  void consumersRegisterCommitAndUnregister() {
    log = open(LogTesting.config(dir));
    appendRange(INVOKE, 0, 5);
    assertEquals(0L, await(log.register(INVOKE, "invoker")));
    await(log.commit(INVOKE, "invoker", 3));
    assertEquals(3L, await(log.committed(INVOKE, "invoker")));
    assertEquals(3L, await(log.register(INVOKE, "invoker")));
    await(log.commit(INVOKE, "invoker", 5));
    assertInstanceOf(IllegalArgumentException.class, awaitFailure(log.commit(INVOKE, "invoker", 6)));
    assertEquals(5L, await(log.committed(INVOKE, "invoker")));
    assertInstanceOf(IllegalArgumentException.class, awaitFailure(log.committed(INVOKE, "nobody")));
    assertInstanceOf(IllegalArgumentException.class, awaitFailure(log.commit(INVOKE, "bad name/", 1)));
    assertEquals(java.util.Map.of("invoker", 5L), log.health().topics().get("invoke").committed());
    await(log.unregister(INVOKE, "invoker"));
    assertInstanceOf(IllegalArgumentException.class, awaitFailure(log.committed(INVOKE, "invoker")));
  }

  @Test
  void committedOffsetsSurviveARestart() {
    LogConfig config = LogTesting.config(dir);
    log = open(config);
    appendRange(INVOKE, 0, 5);
    await(log.commit(INVOKE, "sync", 4));
    log = restart(log, config);
    assertEquals(4L, await(log.committed(INVOKE, "sync")));
    assertEquals(5, log.endOffset(INVOKE));
    assertEquals(5, append(INVOKE, 5, true));
  }

  @Test
  void aSubscriptionDeliversOldAndNewRecordsAndResumesFromItsCommit() throws Exception {
    LogConfig config = LogTesting.config(dir);
    log = open(config);
    appendRange(INVOKE, 0, 12);
    List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    Subscription s = await(log.subscribe(INVOKE, "invoker", 5, batch -> {
      assertTrue(batch.size() <= 5);
      batch.forEach(r -> seen.add(r.offset()));
      return Future.succeededFuture();
    }));
    eventually(() -> seen.size() == 12);
    appendRange(INVOKE, 12, 15);
    eventually(() -> seen.size() == 15);
    assertEquals(LongStream.range(0, 15).boxed().toList(), List.copyOf(seen));
    eventually(() -> await(log.committed(INVOKE, "invoker")) == 15L);
    assertInstanceOf(IllegalStateException.class,
        awaitFailure(log.subscribe(INVOKE, "invoker", 5, b -> Future.succeededFuture())));
    await(s.cancel());

    log = restart(log, config);
    appendRange(INVOKE, 15, 17);
    List<Long> again = Collections.synchronizedList(new ArrayList<>());
    await(log.subscribe(INVOKE, "invoker", 5, batch -> {
      batch.forEach(r -> again.add(r.offset()));
      return Future.succeededFuture();
    }));
    eventually(() -> again.size() == 2);
    Thread.sleep(100);
    assertEquals(List.of(15L, 16L), List.copyOf(again));
  }

  @Test
  void aFailedBatchIsDeliveredAgain() throws Exception {
    log = open(LogTesting.config(dir));
    appendRange(INVOKE, 0, 3);
    List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean failOnce = new AtomicBoolean(true);
    await(log.subscribe(INVOKE, "invoker", 10, batch -> {
      batch.forEach(r -> seen.add(r.offset()));
      return failOnce.getAndSet(false) ? Future.failedFuture("handler down") : Future.succeededFuture();
    }));
    eventually(() -> seen.size() == 6);
    assertEquals(List.of(0L, 1L, 2L, 0L, 1L, 2L), List.copyOf(seen));
    eventually(() -> await(log.committed(INVOKE, "invoker")) == 3L);
  }

  @Test
  void aFollowerDeliversFromItsOffsetAndCommitsNothing() throws Exception {
    log = open(LogTesting.config(dir));
    appendRange(INVOKE, 0, 6);
    List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    Subscription s = await(log.follow(INVOKE, 3, 2, batch -> {
      assertTrue(batch.size() <= 2);
      batch.forEach(r -> seen.add(r.offset()));
      return Future.succeededFuture();
    }));
    eventually(() -> seen.size() == 3);
    appendRange(INVOKE, 6, 8);
    eventually(() -> seen.size() == 5);
    assertEquals(List.of(3L, 4L, 5L, 6L, 7L), List.copyOf(seen));
    assertTrue(log.health().topics().get(INVOKE.name()).committed().isEmpty(), "a follower registers no consumer");
    await(s.cancel());
    List<Long> second = Collections.synchronizedList(new ArrayList<>());
    await(log.follow(INVOKE, 6, 10, batch -> {
      batch.forEach(r -> second.add(r.offset()));
      return Future.succeededFuture();
    }));
    eventually(() -> second.size() == 2);
    assertEquals(List.of(6L, 7L), List.copyOf(second));
  }

  @Test
  void aWaitingSubscriptionCancelsAndACancelledConsumerMaySubscribeAgain() throws Exception {
    log = open(LogTesting.config(dir));
    List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    Subscription first = await(log.subscribe(INVOKE, "invoker", 5, batch -> Future.succeededFuture()));
    await(first.cancel());
    appendRange(INVOKE, 0, 2);
    await(log.subscribe(INVOKE, "invoker", 5, batch -> {
      batch.forEach(r -> seen.add(r.offset()));
      return Future.succeededFuture();
    }));
    eventually(() -> seen.size() == 2);
    assertEquals(List.of(0L, 1L), List.copyOf(seen));
  }

  @Test
  void closingEndsSubscriptionsAndRefusesFurtherCalls() throws Exception {
    log = open(LogTesting.config(dir));
    appendRange(INVOKE, 0, 1);
    await(log.subscribe(INVOKE, "invoker", 5, batch -> Future.succeededFuture()));
    eventually(() -> await(log.committed(INVOKE, "invoker")) == 1L);
    await(log.close());
    assertInstanceOf(IllegalStateException.class, awaitFailure(log.append(INVOKE, record(1), true)));
    assertInstanceOf(IllegalStateException.class, awaitFailure(log.commit(INVOKE, "invoker", 1)));
    log = null;
  }

  @Test
  void theCallerMayReuseItsBufferOnceAppendReturns() {
    log = open(LogTesting.config(dir));
    io.vertx.core.buffer.Buffer value = io.vertx.core.buffer.Buffer.buffer(record(0));
    Future<Long> appended = log.append(INVOKE, value, true);
    value.setByte(0, (byte) 'X');
    await(appended);
    assertEquals(new String(record(0), java.nio.charset.StandardCharsets.UTF_8),
        text(await(log.read(INVOKE, 0, 1, 1 << 20)).get(0)));
  }

  @Test
  void retentionBySizeKeepsWhatAConsumerHasNotCommitted() {
    log = open(LogTesting.config(dir, 2048, Duration.ofDays(7), 1L << 32));
    assertEquals(0L, await(log.register(INVOKE, "invoker")));
    appendRange(INVOKE, 0, 50);
    await(log.enforceRetention());
    assertEquals(0, log.health().topics().get("invoke").startOffset());

    await(log.commit(INVOKE, "invoker", 20));
    await(log.enforceRetention());
    assertEquals(16, log.health().topics().get("invoke").startOffset());
    assertEquals(16L, await(log.read(INVOKE, 0, 1, 1 << 20)).get(0).offset());

    await(log.unregister(INVOKE, "invoker"));
    await(log.enforceRetention());
    TopicHealth health = log.health().topics().get("invoke");
    assertEquals(40, health.startOffset());
    assertEquals(50, health.endOffset());
    assertEquals(10 * 124, health.bytes());
    assertEquals(0, log.health().droppedRecords());
  }

  @Test
  void retentionByAgeDropsOldSealedSegments() {
    log = open(LogTesting.config(dir, 1L << 30, Duration.ofHours(1), 1L << 32));
    appendRange(INVOKE, 0, 20);
    clock.advance(Duration.ofMinutes(30));
    await(log.enforceRetention());
    assertEquals(0, log.health().topics().get("invoke").startOffset());
    clock.advance(Duration.ofMinutes(31));
    appendRange(INVOKE, 20, 21);
    await(log.enforceRetention());
    assertEquals(16, log.health().topics().get("invoke").startOffset());
  }

  @Test
  void theDiskCapDropsUncommittedRecordsAndCountsThem() {
    log = open(LogTesting.config(dir, 1L << 30, Duration.ofDays(7), 3000));
    appendRange(INVOKE, 0, 10);
    await(log.commit(INVOKE, "sync", 10));
    appendRange(INVOKE, 10, 50);
    await(log.enforceRetention());
    LogHealth health = log.health();
    TopicHealth topic = health.topics().get("invoke");
    assertTrue(health.bytes() <= 3000, "over the cap: " + health.bytes());
    assertTrue(topic.startOffset() > 10, "nothing uncommitted was dropped");
    assertEquals(topic.startOffset() - 10, health.droppedRecords());
    assertEquals(health.droppedRecords(), topic.droppedRecords());
    assertEquals(topic.startOffset(), await(log.read(INVOKE, 10, 1, 1 << 20)).get(0).offset());
    assertEquals(50, topic.endOffset());
  }

  @Test
  void theDiskCapTakesTheOldestSegmentsOfAnyTopic() {
    log = open(LogTesting.config(dir, 1L << 30, Duration.ofDays(7), 4000));
    appendRange(OTHER, 0, 17);
    clock.advance(Duration.ofMinutes(1));
    appendRange(INVOKE, 0, 40);
    await(log.enforceRetention());
    LogHealth health = log.health();
    assertTrue(health.bytes() <= 4000);
    assertEquals(16, health.topics().get("other").startOffset(), "the older topic's segments go first");
    assertEquals(0, health.droppedRecords(), "no consumer was registered, so nothing counts as lost");
  }

  static List<Long> offsets(List<LogRecord> records) {
    return records.stream().map(LogRecord::offset).collect(Collectors.toList());
  }
}
