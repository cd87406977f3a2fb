package io.edgewhisk.mqtt.store;

import io.edgewhisk.mqtt.broker.Delivery;
import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.edgewhisk.mqtt.broker.Subscription;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A store that keeps everything in memory: for unit tests, and to show what the contract means. Not durable.
 */
public final class InMemoryBrokerStore implements BrokerStore {
  private final Map<String, StoredSession> sessions = new LinkedHashMap<>();
  private final Map<String, Map<Long, StoredDelivery>> messages = new LinkedHashMap<>();
  private final Map<String, PublishedMessage> retained = new LinkedHashMap<>();

  @Override
  public synchronized Future<Snapshot> load() {
    List<StoredSession> out = new ArrayList<>();
    sessions.values().forEach(s -> out.add(new StoredSession(s.clientId(), s.expirySeconds(), s.disconnectedAt(),
        s.subscriptions(), new ArrayList<>(messages.getOrDefault(s.clientId(), Map.of()).values()))));
    return Future.succeededFuture(new Snapshot(out, new ArrayList<>(retained.values())));
  }

  @Override
  public synchronized Future<Void> saveSession(String clientId, long expirySeconds, long disconnectedAt,
                                               List<Subscription> subscriptions) {
    sessions.put(clientId, new StoredSession(clientId, expirySeconds, disconnectedAt, subscriptions, List.of()));
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> deleteSession(String clientId) {
    sessions.remove(clientId);
    messages.remove(clientId);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> addMessage(String clientId, Delivery delivery, int packetId) {
    messages.computeIfAbsent(clientId, c -> new LinkedHashMap<>())
        .put(delivery.key(), new StoredDelivery(delivery, packetId, false));
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> updateMessage(String clientId, long key, int packetId, boolean released) {
    Map<Long, StoredDelivery> m = messages.get(clientId);
    if (m != null && m.containsKey(key)) {
      m.put(key, new StoredDelivery(m.get(key).delivery(), packetId, released));
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> removeMessage(String clientId, long key) {
    Map<Long, StoredDelivery> m = messages.get(clientId);
    if (m != null) {
      m.remove(key);
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> putRetained(PublishedMessage message) {
    retained.put(message.topic(), message);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> removeRetained(String topic) {
    retained.remove(topic);
    return Future.succeededFuture();
  }

  /** How many messages are stored for a session (for tests). */
  public synchronized int storedMessages(String clientId) {
    return messages.getOrDefault(clientId, Map.of()).size();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
