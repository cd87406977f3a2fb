package io.edgewhisk.sync.invoker;

import io.edgewhisk.sync.link.Backoff;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer of this device's invoker topic, on a thread of its own (a Kafka consumer blocks in {@code poll}
 * and is not thread-safe; no event loop ever waits on it). Each message is handed to the handler on the
 * verticle's context; messages run concurrently, at most {@code maxRunning} at once (the partitions are paused
 * beyond that, while the consumer keeps polling to stay in its group). An offset is committed only once the
 * handler's future for it and for every message before it succeeded (the answer acknowledged by Kafka); a
 * handler that fails (the gateway stops before the answer was acknowledged) leaves its message to be read again
 * after a restart: at least once.
 */
public final class InvokerFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InvokerFeed.class);
  private static final Duration POLL = Duration.ofMillis(500);

  /** One message of the topic. */
  public record Delivery(int partition, long offset, byte[] value) {}

  private final String topic;
  private final Map<String, Object> properties;
  private final Context context;
  private final Function<Delivery, Future<Void>> handler;
  private final int maxRunning;
  private final Backoff backoff;
  private final PendingOffsets pending = new PendingOffsets();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile KafkaConsumer<byte[], byte[]> consumer;

  /**
   * {@code properties}: the client properties (security and the like) with bootstrap servers and group id; those
   * the consumer does not know are left out (the same file configures sync's producer).
   */
  public InvokerFeed(String topic, Map<String, Object> properties, Context context,
      Function<Delivery, Future<Void>> handler, int maxRunning, Backoff backoff) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.properties = consumerProperties(properties, maxRunning);
    this.context = Objects.requireNonNull(context, "context");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.maxRunning = maxRunning;
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.thread = new Thread(this::run, "edgewhisk-sync-invoker");
    this.thread.setDaemon(true);
  }

  static Map<String, Object> consumerProperties(Map<String, Object> given, int maxRunning) {
    Map<String, Object> p = new HashMap<>();
    Set<String> known = ConsumerConfig.configNames();
    given.forEach((k, v) -> {
      if (known.contains(k)) {
        p.put(k, v);
      }
    });
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // the topic is this device's alone: what was sent to it before it first joined is meant for it
    p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxRunning);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  public void start() {
    thread.start();
  }

  /** Messages taken and not yet answered. */
  public int running() {
    return pending.running();
  }

  private void run() {
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(properties)) {
      consumer = c;
      c.subscribe(List.of(topic), new Rebalance(c));
      while (running) {
        try {
          pollOnce(c);
          backoff.reset();
        } catch (WakeupException e) {
          // close() asked us to stop
        } catch (RuntimeException e) {
          LOG.warn("the invoker topic {}: {}; trying again", topic, e.toString());
          pause(backoff.next());
        }
      }
      finalCommit(c);
    } catch (RuntimeException e) {
      LOG.error("the consumer of the invoker topic {} stopped: {}", topic, e.toString());
    } finally {
      consumer = null;
    }
  }

  /** What was answered, committed on the way out (a wake-up left over from close() is used up first). */
  private void finalCommit(KafkaConsumer<byte[], byte[]> c) {
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        commit(c);
        return;
      } catch (WakeupException e) {
        // close()'s wake-up, delivered here: the next try goes through
      } catch (RuntimeException e) {
        LOG.warn("could not commit the invoker topic {} at stop: {}; its answered messages may be run again", topic,
            e.toString());
        return;
      }
    }
  }

  private void pollOnce(KafkaConsumer<byte[], byte[]> c) {
    if (pending.running() >= maxRunning) {
      c.pause(c.assignment());
    } else if (!c.paused().isEmpty()) {
      c.resume(c.paused());
    }
    for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
      pending.started(r.partition(), r.offset());
      Delivery d = new Delivery(r.partition(), r.offset(), r.value());
      context.runOnContext(v -> handle(d));
    }
    commit(c);
  }

  private void handle(Delivery d) {
    Future<Void> answered;
    try {
      answered = handler.apply(d);
    } catch (RuntimeException e) {
      answered = Future.failedFuture(e);
    }
    answered.onComplete(ar -> {
      if (ar.succeeded()) {
        pending.finished(d.partition(), d.offset());
      } else if (running) {
        LOG.error("the message at offset {} of partition {} of {} was not answered: {}; it is read again after a restart",
            d.offset(), d.partition(), topic, ar.cause().toString());
      }
    });
  }

  private void commit(KafkaConsumer<byte[], byte[]> c) {
    Map<Integer, Long> offsets = pending.committable();
    if (offsets.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    offsets.forEach((partition, offset) -> commit.put(new TopicPartition(topic, partition), new OffsetAndMetadata(offset)));
    c.commitSync(commit);
    pending.committed(offsets);
  }

  private void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** Commits what was answered of the partitions being taken away, and forgets them. */
  private final class Rebalance implements ConsumerRebalanceListener {
    private final KafkaConsumer<byte[], byte[]> c;

    Rebalance(KafkaConsumer<byte[], byte[]> c) {
      this.c = c;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      try {
        commit(c);
      } catch (RuntimeException e) {
        LOG.warn("could not commit the invoker topic before a rebalance: {}", e.toString());
      }
      pending.forget(partitions.stream().map(TopicPartition::partition).toList());
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      // reading resumes from the committed offsets
    }
  }

  /** Stops polling, commits what was answered, closes the consumer (on its own thread); waits up to 10 s. */
  @Override
  public void close() {
    running = false;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
