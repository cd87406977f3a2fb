package io.edgewhisk.sync.push;

import io.edgewhisk.spi.LogSubscription;
import io.edgewhisk.spi.LogTopics;
import io.edgewhisk.spi.TopicRecord;
import io.edgewhisk.sync.link.Backoff;
import io.edgewhisk.sync.link.LinkState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store and forward from the durable {@code activations} topic to one central destination: a subscription
 * with its own committed offset, whose batch handler succeeds (and so commits) only once the destination
 * acknowledged the whole batch. A failed delivery is tried again, with backoff and jitter, until it is
 * acknowledged or the loop stops; stopping fails the batch under way, so it is not committed and comes
 * again after a restart.
 */
public final class PushLoop {
  private static final Logger LOG = LoggerFactory.getLogger(PushLoop.class);

  private final Vertx vertx;
  private final LogTopics log;
  private final String consumer;
  private final int batchSize;
  private final long lingerMs;
  private final Function<List<TopicRecord>, Future<Integer>> delivery;
  private final Backoff backoff;
  private final LinkState link;
  private final AtomicLong delivered = new AtomicLong();
  private volatile long oldestPending;
  private volatile boolean running;
  private LogSubscription subscription;

  /** {@code delivery} acknowledges a batch (answering how many records it delivered) or fails. */
  public PushLoop(Vertx vertx, LogTopics log, String consumer, int batchSize,
      Function<List<TopicRecord>, Future<Integer>> delivery, Backoff backoff, LinkState link) {
    this(vertx, log, consumer, batchSize, 0, delivery, backoff, link);
  }

  /**
   * As above; after a batch smaller than {@code batchSize} is acknowledged, the next one waits {@code lingerMs},
   * so that a trickle of activations goes in a few requests, acknowledgements and commits a second instead of
   * one each per activation (what a busy gateway's CPU would otherwise pay). A crash in that wait delivers the
   * batch again: a conflict at CouchDB, a duplicate event on Kafka (at least once, as ever).
   */
  public PushLoop(Vertx vertx, LogTopics log, String consumer, int batchSize, long lingerMs,
      Function<List<TopicRecord>, Future<Integer>> delivery, Backoff backoff, LinkState link) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.log = Objects.requireNonNull(log, "log");
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.batchSize = batchSize;
    this.lingerMs = lingerMs;
    this.delivery = Objects.requireNonNull(delivery, "delivery");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.link = Objects.requireNonNull(link, "link");
  }

  public Future<Void> start() {
    running = true;
    return log.subscribeActivations(consumer, batchSize, this::deliverUntilAcknowledged)
        .onSuccess(s -> subscription = s).mapEmpty();
  }

  public Future<Void> stop() {
    running = false;
    return subscription == null ? Future.succeededFuture() : subscription.cancel();
  }

  public String consumer() {
    return consumer;
  }

  public LinkState link() {
    return link;
  }

  /** Records acknowledged by the destination since start. */
  public long delivered() {
    return delivered.get();
  }

  /** Records waiting for this destination: the topic's end minus the committed offset. */
  public Future<Long> depth() {
    return log.committed(LogTopics.ACTIVATIONS, consumer).map(c -> Math.max(0, log.endOffset(LogTopics.ACTIVATIONS) - c));
  }

  /** Epoch ms of the oldest record not yet acknowledged, or 0 when nothing waits. */
  public long oldestPending() {
    return oldestPending;
  }

  private Future<Void> deliverUntilAcknowledged(List<TopicRecord> batch) {
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    oldestPending = batch.get(0).timestamp();
    Promise<Void> acknowledged = Promise.promise();
    attempt(batch, acknowledged);
    return acknowledged.future().onSuccess(v -> {
      long end = log.endOffset(LogTopics.ACTIVATIONS);
      if (batch.get(batch.size() - 1).offset() + 1 >= end) {
        oldestPending = 0;
      }
    }).compose(v -> batch.size() >= batchSize || lingerMs <= 0 || !running ? Future.succeededFuture() : linger());
  }

  private Future<Void> linger() {
    Promise<Void> waited = Promise.promise();
    vertx.setTimer(lingerMs, t -> waited.complete());
    return waited.future();
  }

  private void attempt(List<TopicRecord> batch, Promise<Void> acknowledged) {
    if (!running) {
      acknowledged.tryFail("sync is stopping; the batch stays on the log");
      return;
    }
    delivery.apply(batch).onComplete(r -> {
      if (r.succeeded()) {
        link.succeeded();
        backoff.reset();
        delivered.addAndGet(r.result());
        acknowledged.tryComplete();
        return;
      }
      String why = r.cause().getMessage();
      link.failed(why);
      long wait = backoff.next();
      LOG.warn("{}: {} records from offset {} not delivered ({}); trying again in {} ms",
          consumer, batch.size(), batch.get(0).offset(), why, wait);
      vertx.setTimer(wait, t -> attempt(batch, acknowledged));
    });
  }
}
