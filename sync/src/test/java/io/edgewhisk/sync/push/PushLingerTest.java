package io.edgewhisk.sync.push;

import static io.edgewhisk.sync.testing.Await.result;
import static io.edgewhisk.sync.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.spi.TopicRecord;
import io.edgewhisk.sync.fakes.CoreLogTopics;
import io.edgewhisk.sync.link.Backoff;
import io.edgewhisk.sync.link.LinkState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trickle of activations goes to the central side in a few batches a second, not one request each. */
class PushLingerTest {
  static final int RECORDS = 60;

  @TempDir Path dir;

  /** Deliveries that carried a trickle, and how long the trickle lasted. */
  private record Trickle(int deliveries, long millis) {}

  /** Appends one record every 10 ms to the core's real log; answers how many deliveries carried them all. */
  private Trickle deliveriesOfATrickle(long lingerMs) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      CoreLogTopics log = result(CoreLogTopics.open(vertx, dir.resolve("log-" + lingerMs)));
      AtomicInteger deliveries = new AtomicInteger();
      AtomicInteger delivered = new AtomicInteger();
      PushLoop loop = new PushLoop(vertx, log, "push-test", 500, lingerMs, (List<TopicRecord> batch) -> {
        deliveries.incrementAndGet();
        delivered.addAndGet(batch.size());
        return Future.succeededFuture(batch.size());
      }, new Backoff(100, 1000, new Random()), new LinkState("test", Clock.systemUTC()));
      result(loop.start());
      long t0 = System.nanoTime();
      for (int i = 0; i < RECORDS; i++) {
        result(log.appendActivation(ActivationRecords.record("guest", i).toBuffer()));
        Thread.sleep(10);
      }
      long millis = (System.nanoTime() - t0) / 1_000_000;
      until("all delivered", Duration.ofSeconds(30), () -> delivered.get() == RECORDS);
      result(loop.stop());
      result(log.log().close());
      return new Trickle(deliveries.get(), millis);
    } finally {
      result(vertx.close());
    }
  }

  @Test
  void aTrickleGoesInFewBatchesWithALinger() throws Exception {
    Trickle without = deliveriesOfATrickle(0);
    Trickle with = deliveriesOfATrickle(200);
    // with a 200 ms linger, at most one batch per 200 ms of the trickle (plus the first and the last)
    assertTrue(with.deliveries() <= with.millis() / 200 + 2, "with a linger: " + with);
    assertTrue(with.deliveries() >= 2, "the records came over time, so more than one batch: " + with);
    assertTrue(without.deliveries() > 2 * with.deliveries(), "without one, many more: " + without + " against " + with);
  }
}
