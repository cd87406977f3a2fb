package io.edgewhisk.log;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The running subscriptions of one log: at most one per topic and consumer, all cancelled when the log
 * closes. Shared by both implementations, which differ only in how they read and commit.
 */
final class Subscriptions {
  private final Vertx vertx;
  private final AppendLog log;
  private final RecordSignal signal;
  private final Duration redeliveryDelay;
  private final Map<String, TopicSubscription> running = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong followers = new java.util.concurrent.atomic.AtomicLong();

  Subscriptions(Vertx vertx, AppendLog log, RecordSignal signal, Duration redeliveryDelay) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.log = Objects.requireNonNull(log, "log");
    this.signal = Objects.requireNonNull(signal, "signal");
    this.redeliveryDelay = Objects.requireNonNull(redeliveryDelay, "redeliveryDelay");
  }

  Future<Subscription> subscribe(Topic topic, String consumer, int maxRecords,
      Function<List<LogRecord>, Future<?>> handler) {
    Context context = vertx.getOrCreateContext();
    String key = topic.name() + '/' + consumer;
    TopicSubscription subscription;
    try {
      ConsumerOffsets.checkName(consumer);
      subscription = new TopicSubscription(log, signal, context, topic, consumer, maxRecords, handler,
          redeliveryDelay, () -> running.remove(key));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (running.putIfAbsent(key, subscription) != null) {
      return Future.failedFuture(new IllegalStateException("consumer " + consumer + " of topic " + topic
          + " is already subscribed"));
    }
    return log.register(topic, consumer)
        .onFailure(e -> running.remove(key, subscription))
        .map(committed -> {
          context.runOnContext(v -> subscription.start(committed));
          return subscription;
        });
  }

  /** A subscription with no consumer: its position lives in memory and nothing is committed. */
  Future<Subscription> follow(Topic topic, long fromOffset, int maxRecords,
      Function<List<LogRecord>, Future<?>> handler) {
    Context context = vertx.getOrCreateContext();
    String key = topic.name() + "/@follow-" + followers.incrementAndGet();
    TopicSubscription subscription;
    try {
      subscription = new TopicSubscription(log, signal, context, topic, null, maxRecords, handler,
          redeliveryDelay, () -> running.remove(key));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    running.put(key, subscription);
    context.runOnContext(v -> subscription.start(Math.max(0, fromOffset)));
    return Future.succeededFuture(subscription);
  }

  Future<Void> cancelAll() {
    List<Future<Void>> cancelled = new ArrayList<>();
    running.values().forEach(s -> cancelled.add(s.cancel()));
    return Future.all(cancelled).mapEmpty();
  }
}
