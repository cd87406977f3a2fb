package io.edgewhisk.log;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process {@link LogCrashIT} kills: it appends durable records to the log in {@code args[0]},
 * {@code args[2]} at a time, with values derived from a seed counting up from {@code args[1]}, and
 * prints {@code ack <offset> <seed>} for each append acknowledged, until it is killed.
 */
public final class LogCrashChild {
  private LogCrashChild() {}

  static byte[] value(long seed) {
    byte[] b = new byte[200 + (int) (seed % 1800)];
    new Random(seed).nextBytes(b);
    return b;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    AtomicLong seeds = new AtomicLong(Long.parseLong(args[1]));
    int inFlight = Integer.parseInt(args[2]);
    Vertx vertx = Vertx.vertx();
    LogConfig defaults = LogConfig.defaults(dir);
    LogConfig config = new LogConfig(dir, 256 << 10, defaults.maxRecordBytes(), defaults.retention(), defaults.topicRetention(),
        defaults.diskCapBytes(), defaults.groupCommitMaxBatch(), defaults.groupCommitMaxDelay(),
        defaults.retentionCheckInterval(), defaults.redeliveryDelay());
    AppendLog log = FileAppendLog.open(vertx, config, LogFiles.standard(), Clock.systemUTC())
        .toCompletionStage().toCompletableFuture().get();
    BlockingQueue<String> acks = new LinkedBlockingQueue<>();
    System.out.println("ready " + log.endOffset(Topic.INVOKE));
    System.out.flush();
    for (int i = 0; i < inFlight; i++) {
      vertx.runOnContext(v -> appendNext(log, seeds, acks));
    }
    while (true) {
      String line = acks.take();
      System.out.println(line);
      System.out.flush();
    }
  }

  private static void appendNext(AppendLog log, AtomicLong seeds, BlockingQueue<String> acks) {
    long seed = seeds.getAndIncrement();
    log.append(Topic.INVOKE, value(seed), true).onComplete(r -> {
      if (r.succeeded()) {
        acks.add("ack " + r.result() + " " + seed);
      } else {
        acks.add("failed " + seed + " " + r.cause());
      }
      appendNext(log, seeds, acks);
    });
  }
}
