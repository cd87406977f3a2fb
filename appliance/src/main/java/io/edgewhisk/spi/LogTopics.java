package io.edgewhisk.spi;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.function.Function;

/**
 * The plugin's view of the embedded log. A plugin's own topics are named {@code <plugin>.<topic>} on disk
 * (the name given here is the part after the dot); they have the same segments, retention, disk cap and
 * CRC-checked records as the core's. Consumers are named {@code <plugin>.<consumer>}, so plugins never share
 * offsets. Delivery is at least once: after a crash a consumer sees again what it had not committed, so it
 * dedupes (by activation id, message id, …).
 *
 * <p>{@link #ACTIVATIONS} is the core's topic of finished activations. Each record's value is the UTF-8 JSON of
 * the activation as OpenWhisk's REST API answers {@code GET …/activations/ID}: {@code namespace},
 * {@code name}, {@code subject}, {@code activationId}, {@code start}, {@code end}, {@code duration},
 * {@code cause} (when a trigger or sequence caused it), {@code response} ({@code status},
 * {@code statusCode}, {@code success}, {@code result}), {@code logs}, {@code annotations} ({@code path},
 * {@code kind}, {@code limits}, {@code waitTime}, {@code initTime}, …), {@code version}, {@code publish}.
 * {@code namespace/activationId} is unique, the key to dedupe by (and OpenWhisk's document id). Every stored
 * record is on the topic, also those of namespaces with {@code storeActivations: false}. A plugin may only
 * read it.
 */
public interface LogTopics {
  /** The core's topic of finished activation records (see the class comment for the format). */
  String ACTIVATIONS = "activations";

  /**
   * Appends to the plugin's topic {@code topic} ({@code [A-Za-z0-9._-]}, at most 60 characters), creating it on
   * first use. A durable append completes once the record is on disk (fsync, group-committed); otherwise once
   * the operating system has it. A failed future never means the record was acknowledged.
   */
  Future<Long> append(String topic, Buffer value, boolean durable);

  /**
   * Delivers the plugin's topic from the consumer's committed offset (a new consumer starts at the topic's
   * start), in batches of at most {@code maxRecords}, on the caller's context. When the handler's future
   * succeeds the batch is committed durably and the next follows as soon as there is one; when it fails the
   * same batch comes again after {@code edgewhisk.log.redelivery-delay}. Retention keeps what the consumer has
   * not committed (up to the disk cap, whose drops are counted in {@code /metrics}).
   */
  Future<LogSubscription> subscribe(String topic, String consumer, int maxRecords,
      Function<List<TopicRecord>, Future<?>> handler);

  /** Like {@link #subscribe}, on the core's {@link #ACTIVATIONS} topic. */
  Future<LogSubscription> subscribeActivations(String consumer, int maxRecords,
      Function<List<TopicRecord>, Future<?>> handler);

  /** The consumer's committed offset on the plugin's topic (or {@link #ACTIVATIONS}): the next it is to read. */
  Future<Long> committed(String topic, String consumer);

  /** Moves the consumer's committed offset (e.g. to skip); fails past the topic's end. */
  Future<Void> commit(String topic, String consumer, long nextOffset);

  /** The offset the next append to the plugin's topic (or {@link #ACTIVATIONS}) gets. */
  long endOffset(String topic);
}
