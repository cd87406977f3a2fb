package io.edgewhisk.mqtt.bridge;

import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.edgewhisk.mqtt.store.Codec;
import io.edgewhisk.spi.LogSubscription;
import io.edgewhisk.spi.LogTopics;
import io.edgewhisk.spi.TopicRecord;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A bridge's store and forward: messages for the remote broker wait on a log topic of the plugin's own, in order,
 * until the remote broker acknowledged them; the sender's batch is committed (removed) only then. Bounded by
 * {@code maxMessages}: beyond it a new message is dropped and counted, never an older one. A QoS 1 or 2 message
 * is appended durably (fsync'd before the local publisher's PUBACK), a QoS 0 one is not. Confined to the
 * broker's event loop.
 */
public final class Outbox {
  /** Records the sender takes at a time; a batch is committed when all of them are acknowledged. */
  static final int BATCH = 64;
  private final LogTopics log;
  private final String topic;
  private final String consumer;
  private final long maxMessages;
  private long committedNext;
  private long appending;
  private long dropped;
  private LogSubscription subscription;

  public Outbox(LogTopics log, String topic, String consumer, long maxMessages) {
    this.log = Objects.requireNonNull(log, "log");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.maxMessages = maxMessages;
  }

  /** Starts handing the waiting messages to {@code sender}, oldest first, from where the last run stopped. */
  public Future<Void> start(Function<List<PublishedMessage>, Future<?>> sender) {
    return log.committed(topic, consumer).compose(next -> {
      committedNext = next;
      return log.subscribe(topic, consumer, BATCH, batch -> sender.apply(batch.stream().map(Outbox::decode).toList())
          .onSuccess(v -> committedNext = batch.get(batch.size() - 1).offset() + 1));
    }).map(s -> {
      subscription = s;
      return null;
    });
  }

  /**
   * Appends a message; answers whether it was kept (false: the outbox is full, the message dropped and counted).
   * The future completes once the record is durable (QoS 1 and 2) or written (QoS 0).
   */
  public Future<Boolean> add(PublishedMessage m) {
    if (backlog() >= maxMessages) {
      dropped++;
      return Future.succeededFuture(false);
    }
    appending++;
    return log.append(topic, Buffer.buffer(Codec.message(m)), m.qos() > 0)
        .eventually(() -> {
          appending--;
          return Future.succeededFuture();
        }).map(true);
  }

  /** Messages appended (or being appended) and not yet acknowledged by the remote broker. */
  public long backlog() {
    return Math.max(0, log.endOffset(topic) - committedNext) + appending;
  }

  /** Messages dropped at the bound since start. */
  public long dropped() {
    return dropped;
  }

  public Future<Void> stop() {
    return subscription == null ? Future.succeededFuture() : subscription.cancel();
  }

  /** A record that cannot be read (written by a newer version?) goes out as nothing: null, skipped by the sender. */
  private static PublishedMessage decode(TopicRecord r) {
    try {
      return Codec.message(r.value().getBytes());
    } catch (RuntimeException e) {
      return null;
    }
  }
}
