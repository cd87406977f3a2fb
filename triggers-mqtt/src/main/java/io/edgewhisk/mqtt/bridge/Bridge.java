package io.edgewhisk.mqtt.bridge;

import io.edgewhisk.mqtt.broker.Broker;
import io.edgewhisk.mqtt.broker.InternalSubscriber;
import io.edgewhisk.mqtt.broker.MessageProperties;
import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.edgewhisk.mqtt.broker.Subscription;
import io.edgewhisk.mqtt.config.BridgeConfig;
import io.edgewhisk.mqtt.config.ForwardRule;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bridge to a remote broker: its out rules put matching local messages into its {@link Outbox}, the
 * {@link OutboxSender} sends them over the link, its in rules and the feeds on it are {@link RemoteSubscriptions}.
 * Keeps one link up: on loss or failure it reconnects after a {@link Backoff}, and Paho's keep-alive declares a
 * silent link lost. Confined to the broker's event loop, as the broker's state is.
 */
public final class Bridge {
  /** The user property (MQTT 5) that carries the ids of the brokers a message left through a bridge. */
  public static final String LOOP_PROPERTY = "edgewhisk-bridge";
  private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
  /** A link that stayed up this long resets the backoff (one that drops at once keeps backing off). */
  private static final long STABLE_MILLIS = 10_000;
  private final BridgeConfig config;
  private final Vertx vertx;
  private final Broker broker;
  private final Outbox outbox;
  private final BridgeLink.Factory links;
  private final Credentials credentials;
  private final String clientId;
  private final String loopMarker;
  private final Backoff backoff;
  private final LongSupplier clock;
  private final java.util.function.Consumer<Bridge> changed;
  private final OutboxSender sender;
  private final RemoteSubscriptions remote;
  private final List<Subscription> outRules = new ArrayList<>();
  private final Redeliveries redeliveries;
  private BridgeLink link;
  private BridgeState.Link state = BridgeState.Link.DISCONNECTED;
  private long since;
  private long sent;
  private long received;
  private long duplicatesIgnored;
  private long refused;
  private long expired;
  private long connects;
  private long connectFailures;
  private String lastError;
  private long retryTimer = -1;
  private boolean stopped;

  /** Reads the bridge's password (from its password file) for each connection attempt; null when none. */
  public interface Credentials {
    Future<char[]> password(BridgeConfig config);
  }

  public Bridge(BridgeConfig config, Vertx vertx, Broker broker, Outbox outbox, BridgeLink.Factory links,
                Credentials credentials, String loopMarker, Backoff backoff, LongSupplier clock,
                java.util.function.Consumer<Bridge> changed) {
    this.config = Objects.requireNonNull(config, "config");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.broker = Objects.requireNonNull(broker, "broker");
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.links = Objects.requireNonNull(links, "links");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.loopMarker = Objects.requireNonNull(loopMarker, "loopMarker");
    this.clientId = config.clientId().isEmpty() ? "edgewhisk-" + loopMarker + "-" + config.name() : config.clientId();
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.changed = Objects.requireNonNull(changed, "changed");
    this.sender = new OutboxSender(config.maxInflight(), clock, new SenderEvents());
    this.remote = new RemoteSubscriptions(config.name());
    this.redeliveries = new Redeliveries(Math.max(1024, config.maxInflight() * 4));
    this.since = clock.getAsLong();
  }

  public String name() {
    return config.name();
  }

  /** Subscribes the rules, starts sending the outbox and connecting. Call on the broker's context. */
  public Future<Void> start() {
    int i = 0;
    for (ForwardRule rule : config.rules()) {
      String id = "$bridge:" + config.name() + ":rule" + i++;
      if (rule.direction() == ForwardRule.Direction.OUT) {
        Subscription sub = new Subscription(id, rule.localFilter(), null, rule.qos(), false, true, 0, 0);
        broker.subscribeInternal(id, (m, qos) -> forwardOut(rule, m, qos), sub);
        outRules.add(sub);
      } else {
        remote.add(id, rule.remoteFilter(), rule.qos(), (m, qos) -> forwardIn(rule, m, qos));
      }
    }
    return outbox.start(sender::send).onSuccess(v -> connect());
  }

  public Future<Void> stop() {
    if (stopped) {
      return Future.succeededFuture();
    }
    stopped = true;
    vertx.cancelTimer(retryTimer);
    outRules.forEach(broker::unsubscribeInternal);
    setState(BridgeState.Link.STOPPED);
    BridgeLink l = link;
    link = null;
    Future<Void> stopped = outbox.stop(); // ends once the running batch is done, which abort() makes it
    sender.abort();
    remote.linkDown();
    return stopped.compose(v -> l == null ? Future.succeededFuture() : l.close());
  }

  /** A feed on this bridge: remote messages matching {@code filter} go to {@code subscriber}. */
  public void subscribe(String id, String filter, int qos, InternalSubscriber subscriber) {
    remote.add(id, filter, qos, subscriber);
  }

  public void unsubscribe(String id) {
    remote.remove(id);
  }

  /**
   * Sends a message to the remote broker through the outbox (the publish action): completes once it is durable in
   * the outbox (QoS 1, 2), answering false when the outbox was full and the message dropped.
   */
  public Future<Boolean> publish(PublishedMessage m) {
    return enqueue(m);
  }

  private Future<Void> forwardOut(ForwardRule rule, PublishedMessage m, int qos) {
    if (m.publisher().equals("$bridge:" + config.name())) {
      return Future.succeededFuture(); // came in over this bridge: never sent back over it
    }
    PublishedMessage out = new PublishedMessage(rule.toRemote(m.topic()), m.payload(), qos, m.retain(), m.properties(),
        m.expiresAt(), m.publisher());
    return enqueue(out).mapEmpty();
  }

  private Future<Boolean> enqueue(PublishedMessage m) {
    PublishedMessage marked = config.mqtt5() ? withMarker(m) : m;
    return outbox.add(marked).onComplete(ar -> changed.accept(Bridge.this));
  }

  private PublishedMessage withMarker(PublishedMessage m) {
    MessageProperties p = m.properties();
    List<MessageProperties.UserProperty> users = new ArrayList<>(p.userProperties());
    users.add(new MessageProperties.UserProperty(LOOP_PROPERTY, loopMarker));
    return new PublishedMessage(m.topic(), m.payload(), m.qos(), m.retain(), new MessageProperties(p.payloadFormat(),
        p.contentType(), p.responseTopic(), p.correlationData(), users), m.expiresAt(), m.publisher());
  }

  private Future<Void> forwardIn(ForwardRule rule, PublishedMessage m, int qos) {
    return broker.publish(new PublishedMessage(rule.toLocal(m.topic()), m.payload(), qos, m.retain(), m.properties(),
        m.expiresAt(), m.publisher()));
  }

  private void connect() {
    if (stopped) {
      return;
    }
    setState(BridgeState.Link.CONNECTING);
    credentials.password(config)
        .compose(password -> links.connect(new BridgeLink.LinkSettings(config, clientId, password), new Events()))
        .onComplete(ar -> {
          if (ar.failed()) {
            connectFailures++;
            lost("cannot connect: " + message(ar.cause()));
          } else if (stopped) {
            ar.result().close();
          } else {
            up(ar.result());
          }
        });
  }

  private void up(BridgeLink l) {
    link = l;
    connects++;
    lastError = null;
    LOG.info("Bridge {} connected as {} ({} messages wait in its outbox)", config.name(), clientId, outbox.backlog());
    setState(BridgeState.Link.CONNECTED);
    redeliveries.newLink(l.sessionPresent());
    sender.linkUp(l);
    remote.linkUp(l);
  }

  /** The link is gone or never came: report, and try again after the backoff. */
  private void lost(String error) {
    lastError = error;
    if (stopped) {
      return;
    }
    long delay = backoff.next();
    LOG.warn("Bridge {}: {}; reconnecting in {} ms ({} messages wait in its outbox)", config.name(), error, delay,
        outbox.backlog());
    setState(BridgeState.Link.DISCONNECTED);
    retryTimer = vertx.setTimer(delay, t -> connect());
  }

  private void drop(BridgeLink l, Throwable cause) {
    if (l != link) {
      return;
    }
    link = null;
    sender.linkDown(cause instanceof BridgeLink.DroppedForMessage);
    remote.linkDown();
    l.close();
    if (clock.getAsLong() - since >= STABLE_MILLIS) {
      backoff.reset(); // it was up long enough: a new outage starts from the shortest delay
    }
    lost("link lost: " + message(cause));
  }

  private static String message(Throwable t) {
    String m = t.getMessage();
    if (t.getCause() != null && t.getCause() != t && t.getCause().getMessage() != null) {
      m = (m == null ? "" : m + ": ") + t.getCause().getMessage();
    }
    return m == null ? t.getClass().getSimpleName() : m;
  }

  private void setState(BridgeState.Link s) {
    if (s != state) {
      state = s;
      since = clock.getAsLong();
    }
    changed.accept(Bridge.this);
  }

  public BridgeState state() {
    return new BridgeState(config.name(), state, since, outbox.backlog(), sender.inflight(), sent, sender.resent(),
        received, duplicatesIgnored, outbox.dropped(), refused, expired, connects, connectFailures, lastError);
  }

  private final class Events implements BridgeLink.Listener {
    @Override
    public void received(BridgeLink from, PublishedMessage m, int packetId, boolean dup, Runnable acknowledge) {
      if (from != link) {
        return; // a late message of a link already dropped: the remote broker sends it again on the new one
      }
      if (redeliveries.isResend(m, packetId, dup)) {
        ignoreResend(acknowledge); // taken on the old link, whose acknowledgement was lost: not a second time
        return;
      }
      Future<Void> original = redeliveries.beingTaken(m, packetId, dup);
      if (original != null) {
        // a resend of one still being made durable (its link went meanwhile): answered as that one is
        original.onComplete(ar -> {
          if (ar.succeeded()) {
            ignoreResend(acknowledge);
          } else {
            drop(from, ar.cause());
          }
        });
        return;
      }
      received++;
      changed.accept(Bridge.this);
      Future<Void> delivered = remote.deliver(m);
      redeliveries.taking(m, packetId, delivered);
      delivered.onComplete(ar -> {
        if (ar.succeeded()) {
          // taken: if its link went meanwhile, the remote broker resends it on the next one, where it is known
          redeliveries.taken(m, packetId, from == link);
          acknowledge.run();
        } else {
          // not acknowledged: drop the link, so that the remote broker sends the message again on the next one
          drop(from, ar.cause());
        }
      });
    }

    private void ignoreResend(Runnable acknowledge) {
      duplicatesIgnored++;
      acknowledge.run();
      changed.accept(Bridge.this);
    }

    @Override
    public void lost(BridgeLink l, Throwable cause) {
      drop(l, cause);
    }
  }

  private final class SenderEvents implements OutboxSender.Events {
    @Override
    public void acknowledged(PublishedMessage m) {
      sent++;
      backoff.reset();
      changed.accept(Bridge.this);
    }

    @Override
    public void skipped(PublishedMessage m, String reason) {
      if (reason.equals("expired")) {
        expired++;
      } else {
        refused++;
        LOG.warn("Bridge {}: a message to {} was not sent: {}", config.name(), m == null ? "?" : m.topic(), reason);
      }
      changed.accept(Bridge.this);
    }

    @Override
    public void linkFailed(BridgeLink l, Throwable cause) {
      drop(l, cause);
    }
  }
}
