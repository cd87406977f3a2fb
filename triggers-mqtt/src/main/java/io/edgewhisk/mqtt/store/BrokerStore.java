package io.edgewhisk.mqtt.store;

import io.edgewhisk.mqtt.broker.Delivery;
import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.edgewhisk.mqtt.broker.Subscription;
import io.vertx.core.Future;
import java.util.List;

/**
 * Where the broker keeps what must survive a crash: persistent sessions with their subscriptions, the
 * messages queued or in flight to them, and retained messages. Writes are applied in the order they are
 * called; a returned future completes, on the broker's context, once the write is durable (fsync'd), so
 * the broker acknowledges a PUBLISH or SUBSCRIBE only after it. The broker's port: the SQLite implementation
 * stands behind it until the plugin SPI offers the core's database.
 */
public interface BrokerStore {
  Future<Snapshot> load();

  /** Creates or replaces a persistent session's record and subscriptions. */
  Future<Void> saveSession(String clientId, long expirySeconds, long disconnectedAt, List<Subscription> subscriptions);

  /** Removes a session with its messages. */
  Future<Void> deleteSession(String clientId);

  /** Stores a message for a session, in flight under {@code packetId} or queued (0). */
  Future<Void> addMessage(String clientId, Delivery delivery, int packetId);

  /** A stored message went out under a packet id, or (released) its PUBREC came. */
  Future<Void> updateMessage(String clientId, long key, int packetId, boolean released);

  Future<Void> removeMessage(String clientId, long key);

  Future<Void> putRetained(PublishedMessage message);

  Future<Void> removeRetained(String topic);

  Future<Void> close();

  /** Everything stored, as loaded at start-up. */
  record Snapshot(List<StoredSession> sessions, List<PublishedMessage> retained) {
    public Snapshot {
      sessions = List.copyOf(sessions);
      retained = List.copyOf(retained);
    }
  }

  /** A stored session; its messages in the order they were stored. */
  record StoredSession(String clientId, long expirySeconds, long disconnectedAt, List<Subscription> subscriptions,
                       List<StoredDelivery> messages) {
    public StoredSession {
      subscriptions = List.copyOf(subscriptions);
      messages = List.copyOf(messages);
    }
  }

  /** A stored message with its flow state. */
  record StoredDelivery(Delivery delivery, int packetId, boolean released) {}
}
