package io.edgewhisk.bench;

import io.edgewhisk.log.AppendLog;
import io.edgewhisk.log.FileAppendLog;
import io.edgewhisk.log.LogConfig;
import io.edgewhisk.log.Topic;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * How fast the embedded log accepts durable appends, the step that bounds non-blocking invocations
 * (each 202 waits for the fsync of its {@code invoke} record), against the disk's own fsync rate
 * measured in the same run. Not a test (no assertions, not run by Maven): a program for
 * {@code packaging/bench.sh}, or by hand:
 *
 * <pre>
 *   java -cp "packaging/target/edgewhisk/lib/*:appliance/target/test-classes" \
 *       io.edgewhisk.bench.LogAppendBenchmark [seconds] [appenders]
 * </pre>
 *
 * Phases (each {@code seconds} long, on a fresh log in a temporary folder under {@code java.io.tmpdir}):
 * <ol>
 *   <li>baseline: one thread writing 200 bytes and forcing a file, over and over (fsyncs per second);
 *   <li>durable appends from {@code appenders} closed-loop callers (each appends again when its last
 *       append completes, as a wrk connection does);
 *   <li>the same with a consumer committing its offset every 20 ms, as the invoker's feed does.
 * </ol>
 * Prints one {@code BENCH_LOG key=value ...} line per phase.
 */
public final class LogAppendBenchmark {
  private static final int RECORD_BYTES = 200;
  private static final long COMMIT_EVERY_MS = 20;

  private LogAppendBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int appenders = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    Path dir = Files.createTempDirectory("edgewhisk-log-bench");
    Vertx vertx = Vertx.vertx();
    try {
      fsyncBaseline(dir.resolve("fsync.bin"), seconds);
      appends(vertx, dir.resolve("plain"), seconds, appenders, false);
      appends(vertx, dir.resolve("committing"), seconds, appenders, true);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      deleteTree(dir);
    }
  }

  private static void fsyncBaseline(Path file, int seconds) throws IOException {
    ByteBuffer record = ByteBuffer.allocate(RECORD_BYTES);
    long[] latencies = new long[1 << 20];
    int n = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < end && n < latencies.length) {
        long t0 = System.nanoTime();
        record.clear();
        ch.write(record);
        ch.force(false);
        latencies[n++] = System.nanoTime() - t0;
      }
    }
    print("fsync-baseline", 1, n, seconds, Arrays.copyOf(latencies, n));
  }

  private static void appends(Vertx vertx, Path dir, int seconds, int appenders, boolean committing) throws Exception {
    AppendLog log = FileAppendLog.open(vertx, LogConfig.defaults(dir)).await(30, TimeUnit.SECONDS);
    Buffer record = Buffer.buffer(new byte[RECORD_BYTES]);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger done = new AtomicInteger();
    long[] latencies = new long[1 << 22];
    CountDownLatch stopped = new CountDownLatch(appenders);
    long commitTimer = committing
        ? vertx.setPeriodic(COMMIT_EVERY_MS, t -> log.commit(Topic.INVOKE, "bench", log.endOffset(Topic.INVOKE)))
        : -1;
    long start = System.nanoTime();
    for (int i = 0; i < appenders; i++) {
      vertx.runOnContext(v -> appendLoop(log, record, running, done, latencies, stopped));
    }
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    running.set(false);
    stopped.await(30, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    if (commitTimer >= 0) {
      vertx.cancelTimer(commitTimer);
    }
    log.close().await(30, TimeUnit.SECONDS);
    int n = Math.min(done.get(), latencies.length);
    print(committing ? "durable-append+commits" : "durable-append", appenders, done.get(), elapsed,
        Arrays.copyOf(latencies, n));
  }

  /** One closed-loop caller: append, and on completion append again until told to stop. */
  private static void appendLoop(AppendLog log, Buffer record, AtomicBoolean running, AtomicInteger done,
      long[] latencies, CountDownLatch stopped) {
    if (!running.get()) {
      stopped.countDown();
      return;
    }
    long t0 = System.nanoTime();
    log.append(Topic.INVOKE, record, true).onComplete(ar -> {
      int i = done.getAndIncrement();
      if (i < latencies.length) {
        latencies[i] = System.nanoTime() - t0;
      }
      appendLoop(log, record, running, done, latencies, stopped);
    });
  }

  private static void print(String phase, int callers, int count, double seconds, long[] latencies) {
    Arrays.sort(latencies);
    System.out.printf("BENCH_LOG phase=%s callers=%d per_second=%.0f p50_ms=%.3f p99_ms=%.3f%n", phase, callers,
        count / seconds, percentile(latencies, 50), percentile(latencies, 99));
  }

  private static double percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
