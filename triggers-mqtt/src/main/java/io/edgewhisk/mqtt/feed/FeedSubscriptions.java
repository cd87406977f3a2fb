package io.edgewhisk.mqtt.feed;

import io.edgewhisk.mqtt.bridge.Bridge;
import io.edgewhisk.mqtt.bridge.Bridges;
import io.edgewhisk.mqtt.broker.Broker;
import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.edgewhisk.mqtt.broker.Subscription;
import io.edgewhisk.spi.FireOutcome;
import io.edgewhisk.spi.Telemetry;
import io.edgewhisk.spi.TriggerService;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed registrations that are live in the broker: each active one is an internal subscriber whose
 * messages fire its trigger through the SPI (on the embedded broker, or on a bridge's remote broker, where the
 * remote broker's acknowledgement likewise waits for the fire). For QoS 1 and 2 the publisher's acknowledgement waits for the
 * fire to be durably accepted; a fire the core refuses for the trigger (throttled, gone, blocked: 4xx) is
 * counted and logged and the message acknowledged, while a fire the core could not take (5xx, unreachable)
 * fails it, so the publisher sends it again. Confined to the broker's event loop.
 */
public final class FeedSubscriptions {
  private static final Logger LOG = LoggerFactory.getLogger(FeedSubscriptions.class);
  private final Broker broker;
  private final TriggerService triggers;
  private final Telemetry.Counter fires;
  private final Bridges bridges;
  /** trigger → its live subscription in the embedded broker, or the bridge whose remote subscription it is */
  private final Map<String, Object> live = new HashMap<>();

  public FeedSubscriptions(Broker broker, Bridges bridges, TriggerService triggers, Telemetry.Counter fires) {
    this.broker = Objects.requireNonNull(broker, "broker");
    this.bridges = Objects.requireNonNull(bridges, "bridges");
    this.triggers = Objects.requireNonNull(triggers, "triggers");
    this.fires = Objects.requireNonNull(fires, "fires");
  }

  /** Makes the broker match the registration: subscribed unless paused. */
  public void apply(FeedRegistration r) {
    remove(r.trigger());
    if (r.paused()) {
      return;
    }
    String id = "$feed:" + r.trigger();
    if (!r.broker().equals("embedded")) {
      Bridge bridge = bridges.get(r.broker());
      if (bridge == null) {
        LOG.warn("The MQTT feed of {} names bridge '{}', which is not configured: it fires nothing until it is",
            r.trigger(), r.broker());
        return;
      }
      bridge.subscribe(id, r.topic(), r.qos(), (m, qos) -> fire(r, m, qos));
      live.put(r.trigger(), bridge);
      return;
    }
    Subscription sub = new Subscription(id, r.topic(), null, r.qos(), false, false, 0, 0);
    broker.subscribeInternal(id, (m, qos) -> fire(r, m, qos), sub);
    live.put(r.trigger(), sub);
  }

  public void remove(String trigger) {
    Object old = live.remove(trigger);
    if (old instanceof Subscription sub) {
      broker.unsubscribeInternal(sub);
    } else if (old instanceof Bridge bridge) {
      bridge.unsubscribe("$feed:" + trigger);
    }
  }

  public int size() {
    return live.size();
  }

  private Future<Void> fire(FeedRegistration r, PublishedMessage m, int qos) {
    return triggers.fire(r.trigger(), TriggerPayload.of(r, m, qos, System.currentTimeMillis())).compose(outcome -> {
      fires.labels(outcome.kind().name().toLowerCase(java.util.Locale.ROOT)).increment();
      if (outcome.kind() == FireOutcome.Kind.REFUSED) {
        LOG.warn("MQTT message on {} did not fire {}: {} {}", m.topic(), r.trigger(), outcome.status(),
            outcome.message());
        if (outcome.status() >= 500) {
          return Future.failedFuture(new IllegalStateException(outcome.message()));
        }
      }
      return Future.<Void>succeededFuture();
    }, failure -> {
      fires.labels("failed").increment();
      LOG.warn("MQTT message on {} could not fire {}: {}", m.topic(), r.trigger(), failure.getMessage());
      return Future.failedFuture(failure);
    });
  }

  /** For tests: whether a trigger's registration is live. */
  boolean live(String trigger) {
    return live.containsKey(trigger);
  }
}
