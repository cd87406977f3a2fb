package io.edgewhisk.mqtt.bridge;

import io.edgewhisk.spi.LogSubscription;
import io.edgewhisk.spi.LogTopics;
import io.edgewhisk.spi.TopicRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The SPI's log topics in memory, with the contract's delivery: batches from the committed offset, committed when
 * the handler's future succeeds, the same batch again (after 50 ms) when it fails. Survives a "restart" when the
 * same instance is handed to a new bridge.
 */
final class MemoryLogTopics implements LogTopics {
  final Map<String, List<Buffer>> topics = new HashMap<>();
  final Map<String, Long> committed = new HashMap<>();
  private final Vertx vertx;
  private final List<Runnable> waiting = new ArrayList<>();

  MemoryLogTopics(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public synchronized Future<Long> append(String topic, Buffer value, boolean durable) {
    List<Buffer> t = topics.computeIfAbsent(topic, k -> new ArrayList<>());
    t.add(value);
    List<Runnable> wake = new ArrayList<>(waiting);
    waiting.clear();
    wake.forEach(Runnable::run);
    return Future.succeededFuture((long) t.size() - 1);
  }

  @Override
  public Future<LogSubscription> subscribe(String topic, String consumer, int maxRecords,
      Function<List<TopicRecord>, Future<?>> handler) {
    Context context = vertx.getOrCreateContext();
    boolean[] cancelled = {false};
    @SuppressWarnings("unchecked")
    Future<Object>[] running = new Future[1];
    Runnable[] poll = new Runnable[1];
    poll[0] = () -> {
      if (cancelled[0]) {
        return;
      }
      List<TopicRecord> batch = new ArrayList<>();
      synchronized (this) {
        List<Buffer> t = topics.getOrDefault(topic, List.of());
        long from = committed.getOrDefault(topic + "/" + consumer, 0L);
        for (long o = from; o < t.size() && batch.size() < maxRecords; o++) {
          batch.add(new TopicRecord(o, 0, t.get((int) o)));
        }
        if (batch.isEmpty()) {
          waiting.add(() -> context.runOnContext(v -> poll[0].run()));
          return;
        }
      }
      long after = batch.get(batch.size() - 1).offset() + 1;
      running[0] = (Future<Object>) handler.apply(batch);
      running[0].onComplete(ar -> {
        if (ar.succeeded()) {
          synchronized (this) {
            committed.put(topic + "/" + consumer, after);
          }
          context.runOnContext(v -> poll[0].run());
        } else {
          vertx.setTimer(50, t -> context.runOnContext(v -> poll[0].run()));
        }
      });
    };
    context.runOnContext(v -> poll[0].run());
    return Future.succeededFuture(new LogSubscription() {
      public String topic() { return topic; }
      public String consumer() { return consumer; }
      public Future<Void> cancel() {
        cancelled[0] = true;
        // as the real log: a batch whose handler runs finishes first
        Future<Object> r = running[0];
        return r == null ? Future.succeededFuture() : r.transform(ar -> Future.<Void>succeededFuture());
      }
    });
  }

  @Override
  public Future<LogSubscription> subscribeActivations(String consumer, int maxRecords,
      Function<List<TopicRecord>, Future<?>> handler) {
    return Future.failedFuture("not in this fake");
  }

  @Override
  public synchronized Future<Long> committed(String topic, String consumer) {
    return Future.succeededFuture(committed.getOrDefault(topic + "/" + consumer, 0L));
  }

  @Override
  public synchronized Future<Void> commit(String topic, String consumer, long nextOffset) {
    committed.put(topic + "/" + consumer, nextOffset);
    return Future.succeededFuture();
  }

  @Override
  public synchronized long endOffset(String topic) {
    return topics.getOrDefault(topic, List.of()).size();
  }
}
