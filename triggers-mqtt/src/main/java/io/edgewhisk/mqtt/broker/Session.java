package io.edgewhisk.mqtt.broker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The broker's state for one client id: its subscriptions, the outbound in-flight window with its packet
 * ids, the queue behind it, and the inbound QoS 2 packet ids awaiting PUBREL. It outlives connections when
 * the session is persistent. Confined to the broker's event loop, so it needs no locks.
 */
public final class Session {
  private final String clientId;
  private final BrokerLimits limits;
  private final QueueBudget budget;
  private final DeliveryListener listener;
  private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
  private final LinkedHashMap<Integer, InFlight> inflight = new LinkedHashMap<>();
  private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
  private final Set<Integer> inboundQos2 = new HashSet<>();
  private long queuedBytes;
  private int lastPacketId;
  private ClientLink link;
  private long expirySeconds;
  private long disconnectedAt;
  long expiryTimer = -1;

  Session(String clientId, BrokerLimits limits, QueueBudget budget, DeliveryListener listener) {
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.budget = Objects.requireNonNull(budget, "budget");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** An outbound QoS 1 or 2 message awaiting the client's PUBACK, or (released) its PUBCOMP. */
  record InFlight(Delivery delivery, boolean released) {}

  public String clientId() {
    return clientId;
  }

  public ClientLink link() {
    return link;
  }

  public boolean online() {
    return link != null;
  }

  public long expirySeconds() {
    return expirySeconds;
  }

  void expirySeconds(long seconds) {
    this.expirySeconds = seconds;
  }

  /** A session with a non-zero expiry outlives its connection and is stored. */
  public boolean persistent() {
    return expirySeconds > 0;
  }

  long disconnectedAt() {
    return disconnectedAt;
  }

  Map<String, Subscription> subscriptions() {
    return subscriptions;
  }

  public int subscriptionCount() {
    return subscriptions.size();
  }

  public int inflightCount() {
    return inflight.size();
  }

  public int queuedCount() {
    return queue.size();
  }

  public long queuedBytes() {
    return queuedBytes;
  }

  /** Inbound QoS 2: true the first time a packet id is seen, false for a duplicate before its PUBREL. */
  public boolean firstReceipt(int packetId) {
    return inboundQos2.add(packetId);
  }

  /** Inbound QoS 2: the PUBREL came; answers whether the packet id was known. */
  public boolean released(int packetId) {
    return inboundQos2.remove(packetId);
  }

  /**
   * Offers a message: sent now if the client is online and the window has room, queued if not (QoS 1 and 2),
   * dropped at a bound. Answers the packet id it was sent with, 0 when sent at QoS 0 or queued, -1 when dropped.
   */
  int offer(Delivery d, long now) {
    if (d.message().expired(now)) {
      listener.dropped(this, d, DropReason.EXPIRED);
      return -1;
    }
    if (d.qos() == 0) {
      if (link == null) {
        listener.dropped(this, d, DropReason.QOS0_OFFLINE);
        return -1;
      }
      if (!link.writable() || !queue.isEmpty()) {
        // a client reading slower than its messages come: they wait in the session's queue, within its bounds
        // and the broker's queue memory, until the connection drains (a socket's own buffer held only ~60 KB)
        return enqueue(d) ? 0 : -1;
      }
      return send(d, now);
    }
    if (link != null && queue.isEmpty() && inflight.size() < window()) {
      return send(d, now);
    }
    return enqueue(d) ? 0 : -1;
  }

  private boolean enqueue(Delivery d) {
    int weight = d.message().weight();
    if (queue.size() >= limits.maxQueuedMessages() || queuedBytes + weight > limits.maxQueuedBytes()) {
      listener.dropped(this, d, DropReason.QUEUE_FULL);
      return false;
    }
    if (!budget.take(weight)) {
      listener.dropped(this, d, DropReason.QUEUE_MEMORY);
      return false;
    }
    queue.add(d);
    queuedBytes += weight;
    return true;
  }

  private int send(Delivery d, long now) {
    if (PacketSizes.publish(d, link.protocolVersion(), now) > link.maximumPacketSize()) {
      // MQTT 5 §3.1.2.11.4: a message over the client's maximum is discarded as if it had been delivered
      listener.dropped(this, d, DropReason.TOO_LARGE);
      return -1;
    }
    if (d.qos() == 0) {
      link.publish(d, 0, false);
      return 0;
    }
    int packetId = nextPacketId();
    inflight.put(packetId, new InFlight(d, false));
    link.publish(d, packetId, false);
    return packetId;
  }

  private int window() {
    return Math.min(limits.maxInflight(), link.receiveMaximum());
  }

  private int nextPacketId() {
    do {
      lastPacketId = lastPacketId == 65535 ? 1 : lastPacketId + 1;
    } while (inflight.containsKey(lastPacketId));
    return lastPacketId;
  }

  /** PUBACK (QoS 1) or PUBCOMP (QoS 2): the flow is finished; answers the delivery, or null if unknown. */
  Delivery finish(int packetId, long now) {
    InFlight done = inflight.remove(packetId);
    if (done != null) {
      pump(now);
    }
    return done == null ? null : done.delivery();
  }

  /** PUBREC: the client has the QoS 2 message; answers the delivery, or null if the packet id is unknown. */
  Delivery release(int packetId) {
    InFlight f = inflight.get(packetId);
    if (f == null) {
      return null;
    }
    inflight.put(packetId, new InFlight(f.delivery(), true));
    link.pubrel(packetId);
    return f.delivery();
  }

  /** Sends queued messages while the window (QoS 1 and 2) or the connection (QoS 0) has room, in order. */
  void pump(long now) {
    while (link != null && !queue.isEmpty()) {
      boolean room = queue.peek().qos() == 0 ? link.writable() : inflight.size() < window();
      if (!room) {
        break;
      }
      Delivery d = queue.poll();
      int weight = d.message().weight();
      queuedBytes -= weight;
      budget.give(weight);
      if (d.message().expired(now)) {
        listener.dropped(this, d, DropReason.EXPIRED);
        continue;
      }
      int packetId = send(d, now);
      if (packetId > 0) {
        listener.sent(this, d, packetId);
      }
    }
  }

  /** A connection takes the session: unfinished flows are resent (PUBLISH with DUP, or PUBREL), then the queue. */
  void attach(ClientLink newLink, long now) {
    this.link = Objects.requireNonNull(newLink, "link");
    for (Map.Entry<Integer, InFlight> e : new ArrayList<>(inflight.entrySet())) {
      if (e.getValue().released()) {
        link.pubrel(e.getKey());
      } else {
        link.publish(e.getValue().delivery(), e.getKey(), true);
      }
    }
    pump(now);
  }

  void detach(long now) {
    this.link = null;
    this.disconnectedAt = now;
  }

  /** Restores a stored message: in flight under its packet id, or queued when it had none. */
  void restore(Delivery d, int packetId, boolean released) {
    if (packetId > 0) {
      inflight.put(packetId, new InFlight(d, released));
      lastPacketId = Math.max(lastPacketId, packetId);
    } else {
      int weight = d.message().weight();
      budget.take(weight);
      queue.add(d);
      queuedBytes += weight;
    }
  }

  /** Frees the queue's memory when the session ends; answers the stored keys it held. */
  List<Long> discard() {
    List<Long> keys = new ArrayList<>();
    inflight.values().forEach(f -> keys.add(f.delivery().key()));
    queue.forEach(d -> keys.add(d.key()));
    budget.give(queuedBytes);
    queuedBytes = 0;
    queue.clear();
    inflight.clear();
    inboundQos2.clear();
    return keys;
  }
}
