package io.edgewhisk.sync.push;

import io.edgewhisk.spi.IdentityService;
import io.edgewhisk.spi.TopicRecord;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt to publish a batch of activation records as OpenWhisk user events on the {@code events}
 * topic, keyed by activation id. At least once: a repeat after a crash is the same event with the same key,
 * which consumers dedupe by activation id.
 */
public final class KafkaDelivery implements Function<List<TopicRecord>, Future<Integer>> {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaDelivery.class);

  private final KafkaLink kafka;
  private final String topic;
  private final String deviceId;
  private final IdentityService identities;
  private final Map<String, String> uuids = new ConcurrentHashMap<>();

  public KafkaDelivery(KafkaLink kafka, String topic, String deviceId, IdentityService identities) {
    this.kafka = Objects.requireNonNull(kafka, "kafka");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
    this.identities = Objects.requireNonNull(identities, "identities");
  }

  @Override
  public Future<Integer> apply(List<TopicRecord> batch) {
    List<JsonObject> records = new ArrayList<>(batch.size());
    for (TopicRecord r : batch) {
      try {
        JsonObject o = r.value().toJsonObject();
        if (o.getString("activationId") != null && o.getString("namespace") != null) {
          records.add(o);
          continue;
        }
      } catch (RuntimeException e) {
        // fall through
      }
      LOG.warn("record at offset {} of the activations topic is not an activation; no event for it", r.offset());
    }
    return userIds(records).compose(v -> {
      List<KafkaLink.Message> messages = new ArrayList<>(records.size());
      for (JsonObject o : records) {
        String ns = o.getString("namespace");
        messages.add(new KafkaLink.Message(topic, o.getString("activationId"),
            UserEvent.of(o, deviceId, uuids.getOrDefault(ns, ns)).encode()));
      }
      return kafka.send(messages).map(messages.size());
    });
  }

  /** The namespaces' uuids (OpenWhisk's {@code userId}), looked up once per namespace. */
  private Future<Void> userIds(List<JsonObject> records) {
    Future<Void> chain = Future.succeededFuture();
    for (String ns : records.stream().map(o -> o.getString("namespace")).distinct().toList()) {
      if (!uuids.containsKey(ns)) {
        chain = chain.compose(v -> identities.byNamespace(ns).map(s -> {
          if (s != null) {
            uuids.put(ns, s.uuid());
          }
          return null;
        }));
      }
    }
    return chain.mapEmpty();
  }
}
