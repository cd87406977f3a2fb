package io.edgewhisk.sync.push;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one class that touches the Kafka client: an idempotent producer with {@code acks=all}. A batch is
 * sent and flushed on the link's own thread (the client can block on metadata while the broker is away),
 * and its future completes only when the broker acknowledged every record, or fails with the first error.
 */
public final class KafkaLink implements AutoCloseable {
  /** One message: its key (the activation id, the device id) and its JSON value. */
  public record Message(String topic, String key, String value) {}

  private final KafkaProducer<String, byte[]> producer;
  private final ExecutorService thread;

  /**
   * {@code properties} are passed to the client as they are (security settings and the like), under the
   * settings this link depends on, which cannot be overridden.
   */
  public KafkaLink(String bootstrapServers, Map<String, Object> properties, String clientId, long deliveryTimeoutMs) {
    Map<String, Object> p = new HashMap<>(properties);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrapServers, "bootstrapServers"));
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryTimeoutMs);
    p.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(deliveryTimeoutMs - 5, 15_000));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    this.producer = new KafkaProducer<>(p);
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "edgewhisk-sync-kafka");
      t.setDaemon(true);
      return t;
    });
  }

  /** Sends the messages in order; completes when all are acknowledged by the broker (acks=all). */
  public Future<Void> send(List<Message> messages) {
    Promise<Void> done = Promise.promise();
    try {
      thread.execute(() -> {
        AtomicReference<Exception> first = new AtomicReference<>();
        try {
          for (Message m : messages) {
            producer.send(new ProducerRecord<>(m.topic(), m.key(), m.value().getBytes(StandardCharsets.UTF_8)),
                (meta, e) -> {
                  if (e != null) {
                    first.compareAndSet(null, e);
                  }
                });
          }
          producer.flush();
        } catch (RuntimeException e) {
          first.compareAndSet(null, e);
        }
        if (first.get() == null) {
          done.complete();
        } else {
          done.fail(new KafkaUnavailableException(first.get()));
        }
      });
    } catch (RejectedExecutionException closed) {
      done.fail(new KafkaUnavailableException(closed));
    }
    return done.future();
  }

  @Override
  public void close() {
    thread.shutdown();
    producer.close(java.time.Duration.ofSeconds(5));
  }

  /** Kafka did not acknowledge: the broker is away, the credentials are wrong, the topic refused. */
  public static final class KafkaUnavailableException extends RuntimeException {
    KafkaUnavailableException(Exception cause) {
      super("Kafka did not acknowledge: " + cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause, false, false);
    }

    /** Whether a message was refused as too large (by the client's max.request.size or the broker): sending it again cannot help. */
    public boolean tooLarge() {
      return getCause() instanceof RecordTooLargeException;
    }
  }
}
