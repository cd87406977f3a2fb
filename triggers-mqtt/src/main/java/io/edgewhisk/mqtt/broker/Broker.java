package io.edgewhisk.mqtt.broker;

import io.edgewhisk.mqtt.store.BrokerStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The broker's state and behaviour behind the network: sessions by client id, the topic index, retained
 * messages, wills and session expiry, and routing a PUBLISH to every matching session once at the highest
 * QoS. Every method runs on the broker's one event loop, so none of it needs a lock.
 */
public final class Broker implements DeliveryListener {
  /** The largest Session Expiry Interval, meaning "never expires" (MQTT 5 §3.1.2.11.2). */
  public static final long NEVER = 0xFFFFFFFFL;

  private final Vertx vertx;
  private final BrokerStore store;
  private final BrokerLimits limits;
  private final QueueBudget budget;
  private final BrokerStats stats;
  private final LongSupplier clock;
  private final Map<String, Session> sessions = new HashMap<>();
  private final Map<String, InternalSubscriber> internal = new HashMap<>();
  private final DelayedWills wills;
  private final SubscriptionIndex index = new SubscriptionIndex();
  private final RetainedMessages retained;
  private final ShareGroupPicker shares = new ShareGroupPicker();
  private long nextKey = 1;
  /** This broker's mark on what leaves it through a bridge (MQTT 5 user property); null when it has no bridges. */
  private MessageProperties.UserProperty loopMark;

  public Broker(Vertx vertx, BrokerStore store, BrokerLimits limits, long maxQueueMemory, int maxRetained,
                BrokerStats stats, LongSupplier clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.stats = Objects.requireNonNull(stats, "stats");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.budget = new QueueBudget(maxQueueMemory);
    this.retained = new RetainedMessages(store, maxRetained, stats);
    this.wills = new DelayedWills(vertx, will -> publish(will.message()));
  }

  /** Loads the stored sessions and retained messages; sessions come back offline, their expiry counting anew. */
  public Future<Void> restore() {
    return store.load().map(snapshot -> {
      snapshot.retained().forEach(retained::restore);
      long now = clock.getAsLong();
      for (BrokerStore.StoredSession stored : snapshot.sessions()) {
        Session s = newSession(stored.clientId());
        s.expirySeconds(stored.expirySeconds());
        stored.subscriptions().forEach(sub -> addSubscription(s, sub));
        for (BrokerStore.StoredDelivery d : stored.messages()) {
          s.restore(d.delivery(), d.packetId(), d.released());
          nextKey = Math.max(nextKey, d.delivery().key() + 1);
        }
        s.detach(now);
        scheduleExpiry(s);
      }
      return null;
    });
  }

  public BrokerStats stats() {
    return stats;
  }

  public Session session(String clientId) {
    return sessions.get(clientId);
  }

  public int sessionCount() {
    return sessions.size();
  }

  public long queueMemory() {
    return budget.used();
  }

  public int retainedCount() {
    return retained.size();
  }

  /** The outcome of opening a session for a CONNECT: the session, and whether it existed (Session Present). */
  public record Opened(Session session, boolean present) {}

  /**
   * Opens the session of a CONNECT: a connection already holding it is told it was taken over, a clean
   * start discards the old state. The caller sends CONNACK, then {@link #resume}s the session.
   */
  public Opened open(String clientId, boolean cleanStart, long expirySeconds) {
    Session existing = sessions.get(clientId);
    wills.cancel(clientId);
    if (existing != null) {
      if (existing.online()) {
        ClientLink old = existing.link();
        existing.detach(clock.getAsLong());
        old.disconnect(0x8E, "session taken over");
      }
      vertx.cancelTimer(existing.expiryTimer);
      if (cleanStart) {
        endSession(existing);
        existing = null;
      }
    }
    boolean present = existing != null;
    Session s = present ? existing : newSession(clientId);
    boolean wasPersistent = s.persistent();
    s.expirySeconds(expirySeconds);
    if (s.persistent()) {
      saveSession(s);
    } else if (wasPersistent) {
      store.deleteSession(clientId);
    }
    return new Opened(s, present);
  }

  /** After CONNACK: the connection takes the session; unfinished flows are resent, then queued messages. */
  public void resume(Session s, ClientLink link) {
    stats.clientsConnected++;
    s.attach(link, clock.getAsLong());
  }

  /**
   * A connection ended. Its will is published at once, after its delay, or not at all if the session came
   * back in time; a non-persistent session ends, a persistent one starts its expiry.
   */
  public void closed(Session s, ClientLink link, Will will) {
    if (s.link() == link) {
      stats.clientsConnected--;
      s.detach(clock.getAsLong());
      if (s.persistent()) {
        saveSession(s);
        scheduleExpiry(s);
      } else {
        endSession(s);
      }
    } else {
      // taken over by a new connection: only an undelayed will goes out (MQTT 5 §3.1.3.2.2)
      stats.clientsConnected--;
      if (will != null && will.delaySeconds() == 0) {
        wills.schedule(s.clientId(), will, 0);
      }
      return;
    }
    if (will != null) {
      wills.schedule(s.clientId(), will, Math.min(will.delaySeconds(), s.expirySeconds()));
    }
  }

  /** MQTT 5 DISCONNECT may change the Session Expiry Interval (not from 0 to non-zero: a protocol error). */
  public void changeExpiry(Session s, long expirySeconds) {
    boolean wasPersistent = s.persistent();
    s.expirySeconds(expirySeconds);
    if (wasPersistent && !s.persistent()) {
      store.deleteSession(s.clientId());
    }
  }

  private void scheduleExpiry(Session s) {
    vertx.cancelTimer(s.expiryTimer);
    if (s.expirySeconds() >= NEVER) {
      return;
    }
    s.expiryTimer = vertx.setTimer(Math.max(1, s.expirySeconds() * 1000), t -> {
      if (!s.online() && sessions.get(s.clientId()) == s) {
        endSession(s);
        wills.sessionEnded(s.clientId());
      }
    });
  }

  private Session newSession(String clientId) {
    Session s = new Session(clientId, limits, budget, this);
    sessions.put(clientId, s);
    return s;
  }

  private void endSession(Session s) {
    sessions.remove(s.clientId());
    for (Subscription sub : s.subscriptions().values()) {
      index.remove(sub);
    }
    s.subscriptions().clear();
    s.discard();
    store.deleteSession(s.clientId());
  }

  private void saveSession(Session s) {
    store.saveSession(s.clientId(), s.expirySeconds(), s.disconnectedAt(), new ArrayList<>(s.subscriptions().values()));
  }

  private void addSubscription(Session s, Subscription sub) {
    Subscription old = s.subscriptions().put(sub.key(), sub);
    if (old != null) {
      index.remove(old);
    }
    index.add(sub);
  }

  /**
   * Adds subscriptions (replacing any to the same filter); the future completes once they are durable, and
   * answers, per subscription, whether it is new (for retain handling 1).
   */
  public Future<List<Boolean>> subscribe(Session s, List<Subscription> subs) {
    List<Boolean> fresh = new ArrayList<>(subs.size());
    for (Subscription sub : subs) {
      fresh.add(!s.subscriptions().containsKey(sub.key()));
      addSubscription(s, sub);
    }
    if (!s.persistent()) {
      return Future.succeededFuture(fresh);
    }
    return store.saveSession(s.clientId(), s.expirySeconds(), 0, new ArrayList<>(s.subscriptions().values()))
        .map(fresh);
  }

  /** Sends the retained messages a new subscription asks for (never for a shared subscription). */
  public void sendRetained(Session s, Subscription sub, boolean fresh) {
    if (sub.shareGroup() != null || sub.retainHandling() == 2 || (sub.retainHandling() == 1 && !fresh)) {
      return;
    }
    long now = clock.getAsLong();
    for (PublishedMessage m : retained.matching(sub.filter(), now)) {
      Delivery d = new Delivery(m, Math.min(m.qos(), sub.qos()), true,
          sub.identifier() > 0 ? List.of(sub.identifier()) : List.of(), 0);
      offer(s, d, now);
    }
  }

  /** Removes a subscription by the filter the client wrote; answers whether it existed. */
  public Future<Boolean> unsubscribe(Session s, String key) {
    Subscription sub = s.subscriptions().remove(key);
    if (sub == null) {
      return Future.succeededFuture(false);
    }
    index.remove(sub);
    if (!s.persistent()) {
      return Future.succeededFuture(true);
    }
    return store.saveSession(s.clientId(), s.expirySeconds(), 0, new ArrayList<>(s.subscriptions().values()))
        .map(true);
  }

  /** Drops every message that carries this user property: what this broker's bridges mark as having left it. */
  public void loopMark(String name, String value) {
    loopMark = new MessageProperties.UserProperty(name, value);
  }

  /** Registers a subscriber inside the appliance under a client id of its own (e.g. {@code $feed/...}). */
  public void subscribeInternal(String id, InternalSubscriber subscriber, Subscription sub) {
    internal.put(id, subscriber);
    index.add(sub);
  }

  public void unsubscribeInternal(Subscription sub) {
    index.remove(sub);
    internal.remove(sub.clientId());
  }

  /**
   * Routes a message: retains it if asked, delivers it to every matching session once, at the highest QoS of
   * its matching subscriptions. The future completes once everything that must be durable for a QoS 1 or 2
   * acknowledgement is: stored deliveries to persistent sessions, the retained message, internal subscribers.
   */
  public Future<Void> publish(PublishedMessage m) {
    if (loopMark != null && m.properties().userProperties().contains(loopMark)) {
      // it left this broker through a bridge and came back around a loop of bridges: routing it again would
      // deliver it twice here and send it round the loop for ever (acknowledged all the same: not an error)
      stats.countDrop(DropReason.LOOP);
      return Future.succeededFuture();
    }
    long now = clock.getAsLong();
    List<Future<?>> durable = new ArrayList<>(0);
    if (m.retain()) {
      Future<Void> kept = retained.put(m);
      if (kept != null) {
        durable.add(kept);
      }
    }
    Map<String, Target> targets = new LinkedHashMap<>();
    index.match(m.topic(), sub -> target(targets, sub, m), group -> {
      Subscription chosen = shares.pick(group, this::reachable);
      if (chosen != null) {
        // a shared delivery is separate from the client's ordinary ones
        targets.computeIfAbsent("$share\u0000" + chosen.shareGroup() + "\u0000" + chosen.clientId(),
            k -> new Target(chosen.clientId())).add(chosen, m);
      }
    });
    for (Target t : targets.values()) {
      deliver(t, m, now, durable);
    }
    return durable.isEmpty() ? Future.succeededFuture() : Future.all(durable).mapEmpty();
  }

  private void target(Map<String, Target> targets, Subscription sub, PublishedMessage m) {
    if (sub.noLocal() && sub.clientId().equals(m.publisher())) {
      return;
    }
    targets.computeIfAbsent(sub.clientId(), Target::new).add(sub, m);
  }

  private void deliver(Target t, PublishedMessage m, long now, List<Future<?>> durable) {
    InternalSubscriber in = internal.get(t.clientId);
    if (in != null) {
      Future<Void> accepted = in.deliver(m, t.qos);
      if (t.qos > 0) {
        durable.add(accepted);
      }
      return;
    }
    Session s = sessions.get(t.clientId);
    if (s == null) {
      return;
    }
    boolean stored = s.persistent() && t.qos > 0;
    Delivery d = new Delivery(m, t.qos, t.retain, t.ids, stored ? nextKey++ : 0);
    int packetId = offer(s, d, now);
    if (stored && packetId >= 0) {
      durable.add(store.addMessage(s.clientId(), d, packetId));
    }
  }

  private int offer(Session s, Delivery d, long now) {
    return s.offer(d, now);
  }

  /** A client that can take a message now: connected, or a subscriber inside the appliance. */
  private boolean reachable(String clientId) {
    Session s = sessions.get(clientId);
    return (s != null && s.online()) || internal.containsKey(clientId);
  }


  /** The client's connection can take more again: QoS 0 messages queued while it could not go out. */
  public void drained(Session s) {
    s.pump(clock.getAsLong());
  }

  /** PUBACK or PUBCOMP from a client: the outbound flow is done. */
  public void acknowledged(Session s, int packetId) {
    Delivery d = s.finish(packetId, clock.getAsLong());
    if (d != null && d.key() != 0) {
      store.removeMessage(s.clientId(), d.key());
    }
  }

  /** PUBREC from a client: answers whether the packet id was in flight (the PUBREL is sent by the session). */
  public boolean received(Session s, int packetId) {
    Delivery d = s.release(packetId);
    if (d != null && d.key() != 0) {
      store.updateMessage(s.clientId(), d.key(), packetId, true);
    }
    return d != null;
  }

  @Override
  public void sent(Session session, Delivery delivery, int packetId) {
    if (delivery.key() != 0) {
      store.updateMessage(session.clientId(), delivery.key(), packetId, false);
    }
  }

  @Override
  public void dropped(Session session, Delivery delivery, DropReason reason) {
    stats.countDrop(reason);
    if (delivery.key() != 0) {
      store.removeMessage(session.clientId(), delivery.key());
    }
  }

  /** Every matching subscription of one client, folded into one delivery (MQTT 5 §3.3.4). */
  private static final class Target {
    final String clientId;
    int qos = -1;
    boolean retain;
    final List<Integer> ids = new ArrayList<>(1);

    Target(String clientId) {
      this.clientId = clientId;
    }

    void add(Subscription sub, PublishedMessage m) {
      qos = Math.max(qos, Math.min(sub.qos(), m.qos()));
      retain |= sub.retainAsPublished() && m.retain();
      if (sub.identifier() > 0) {
        ids.add(sub.identifier());
      }
    }
  }
}
