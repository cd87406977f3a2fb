package io.edgewhisk.log;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * How fast the file log is on this disk, in one run: the raw fsync rate (4 KB write + fsync on a plain
 * FileChannel) as the baseline, durable appends per second with 1 and with 64 concurrent appenders
 * (group commit), non-durable appends per second, and durable append latency (p50/p99); 1 KB records.
 * Not a test: run it by hand (see the log's README section in the report), e.g.
 * {@code java -cp ... io.edgewhisk.log.LogBenchmark [dir] [seconds-per-phase]}.
 */
public final class LogBenchmark {
  private static final int RECORD_BYTES = 1024;

  private LogBenchmark() {}

  record Result(String name, long operations, double seconds, long[] latenciesNanos) {
    double perSecond() {
      return operations / seconds;
    }

    String latency(double quantile) {
      if (latenciesNanos.length == 0) {
        return "-";
      }
      long nanos = latenciesNanos[(int) Math.min(latenciesNanos.length - 1, quantile * latenciesNanos.length)];
      return String.format("%.2f ms", nanos / 1e6);
    }
  }

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Path.of(System.getProperty("java.io.tmpdir"));
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
    Files.createDirectories(dir);
    Path work = Files.createTempDirectory(dir, "edgewhisk-log-bench");
    Vertx vertx = Vertx.vertx();
    try {
      Result fsync = rawFsync(work.resolve("raw"), seconds);
      AppendLog log = FileAppendLog.open(vertx, LogConfig.defaults(work.resolve("log")), LogFiles.standard(),
          Clock.systemUTC()).toCompletionStage().toCompletableFuture().get();
      Result durable1 = appends(vertx, log, "durable, 1 appender", 1, true, seconds);
      Result durable64 = appends(vertx, log, "durable, 64 appenders", 64, true, seconds);
      Result durable256 = appends(vertx, log, "durable, 256 appenders", 256, true, seconds);
      Result plain64 = appends(vertx, log, "non-durable, 64 appenders", 64, false, seconds);
      log.close().toCompletionStage().toCompletableFuture().get();
      System.out.printf("%nEmbedded log benchmark, %d-byte records, %.0f s per phase, in %s%n", RECORD_BYTES,
          seconds, work);
      System.out.printf("%-30s %14s %10s %10s%n", "phase", "per second", "p50", "p99");
      for (Result r : new Result[] {fsync, durable1, durable64, durable256, plain64}) {
        System.out.printf("%-30s %14.0f %10s %10s%n", r.name(), r.perSecond(), r.latency(0.5), r.latency(0.99));
      }
      System.out.printf("durable appends per fsync of the raw baseline: 1 appender %.2f, 64 appenders %.1f,"
          + " 256 appenders %.1f%n", durable1.perSecond() / fsync.perSecond(),
          durable64.perSecond() / fsync.perSecond(), durable256.perSecond() / fsync.perSecond());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
      deleteTree(work);
    }
  }

  /** The disk's own pace: 4 KB appended and fsynced (fdatasync, as the log does) in a loop. */
  static Result rawFsync(Path file, double seconds) throws IOException {
    ByteBuffer block = ByteBuffer.allocate(4096);
    new Random(1).nextBytes(block.array());
    long[] latencies = new long[1 << 20];
    int n = 0;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      long position = 0;
      while (System.nanoTime() < end && n < latencies.length) {
        long t = System.nanoTime();
        block.clear();
        position += channel.write(block, position);
        channel.force(false);
        latencies[n++] = System.nanoTime() - t;
      }
      long[] sorted = Arrays.copyOf(latencies, n);
      Arrays.sort(sorted);
      return new Result("raw 4 KB write+fsync", n, (System.nanoTime() - start) / 1e9, sorted);
    }
  }

  /** {@code appenders} chains of appends (each waits for its last), spread over event loops. */
  static Result appends(Vertx vertx, AppendLog log, String name, int appenders, boolean durable, double seconds)
      throws Exception {
    Topic topic = Topic.of("bench-" + name.replaceAll("[^a-z0-9]+", "-"));
    byte[] bytes = new byte[RECORD_BYTES];
    new Random(2).nextBytes(bytes);
    Buffer value = Buffer.buffer(bytes);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicBoolean measuring = new AtomicBoolean(false);
    AtomicLong count = new AtomicLong();
    AtomicInteger inFlight = new AtomicInteger();
    long[] latencies = new long[1 << 23];
    AtomicInteger latencyCount = new AtomicInteger();
    int instances = Math.min(appenders, 4);
    String deployment = vertx.deployVerticle(() -> new AbstractVerticle() {
      @Override
      public void start() {
        for (int i = 0; i < appenders / instances; i++) {
          next();
        }
      }

      void next() {
        if (!running.get()) {
          return;
        }
        inFlight.incrementAndGet();
        long t = System.nanoTime();
        log.append(topic, value, durable).onComplete(r -> {
          inFlight.decrementAndGet();
          if (r.failed()) {
            r.cause().printStackTrace();
            return;
          }
          if (measuring.get()) {
            count.incrementAndGet();
            int i = latencyCount.getAndIncrement();
            if (i < latencies.length) {
              latencies[i] = System.nanoTime() - t;
            }
          }
          next();
        });
      }
    }, new DeploymentOptions().setInstances(instances)).toCompletionStage().toCompletableFuture().get();
    Thread.sleep((long) Math.min(2000, seconds * 300));
    measuring.set(true);
    long start = System.nanoTime();
    Thread.sleep((long) (seconds * 1000));
    measuring.set(false);
    double elapsed = (System.nanoTime() - start) / 1e9;
    running.set(false);
    while (inFlight.get() > 0) {
      Thread.sleep(5);
    }
    vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get();
    long[] sorted = Arrays.copyOf(latencies, Math.min(latencies.length, latencyCount.get()));
    Arrays.sort(sorted);
    return new Result(name, count.get(), elapsed, sorted);
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
