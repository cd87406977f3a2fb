package io.edgewhisk.mqtt.bridge;

import io.edgewhisk.mqtt.broker.Broker;
import io.edgewhisk.mqtt.broker.MessageProperties;
import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.edgewhisk.spi.HealthComponent;
import io.edgewhisk.spi.Telemetry;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Shows each bridge's state: gauges under {@code edgewhisk_mqtt_bridge_*{bridge="NAME"}} set at every change, a
 * health component {@code mqtt.bridge-NAME} (degraded while the link is down, with the reason and the backlog),
 * and the retained {@code $SYS/edgewhisk/bridges/NAME/state} message, published when the link's state changes and
 * every {@code sys-interval}. Confined to the broker's event loop.
 */
public final class BridgeReporter {
  private final Broker broker;
  private final Telemetry.Gauge connected;
  private final Telemetry.Gauge backlog;
  private final Telemetry.Gauge inflight;
  private final Telemetry.Gauge sent;
  private final Telemetry.Gauge resent;
  private final Telemetry.Gauge received;
  private final Telemetry.Gauge duplicatesIgnored;
  private final Telemetry.Gauge dropped;
  private final Telemetry.Gauge connects;
  private final Telemetry.Gauge connectFailures;
  private final Telemetry telemetry;
  private final Map<String, HealthComponent> health = new HashMap<>();
  private final Map<String, BridgeState.Link> published = new HashMap<>();

  public BridgeReporter(Broker broker, Telemetry t) {
    this.broker = Objects.requireNonNull(broker, "broker");
    this.telemetry = Objects.requireNonNull(t, "telemetry");
    connected = t.gauge("bridge_connected", "1 while the bridge's link to its remote broker is up", "bridge");
    backlog = t.gauge("bridge_backlog", "messages in the bridge's outbox not yet acknowledged by the remote broker",
        "bridge");
    inflight = t.gauge("bridge_inflight", "messages sent to the remote broker and not yet acknowledged", "bridge");
    sent = t.gauge("bridge_messages_sent_total", "messages the remote broker acknowledged", "bridge");
    resent = t.gauge("bridge_messages_resent_total", "messages sent again because their link went before the remote"
        + " broker acknowledged them (each may have arrived twice)", "bridge");
    received = t.gauge("bridge_messages_received_total", "messages received from the remote broker", "bridge");
    duplicatesIgnored = t.gauge("bridge_duplicates_ignored_total", "the remote broker's resends (DUP) of messages"
        + " already taken, acknowledged and not delivered again", "bridge");
    dropped = t.gauge("bridge_dropped_total", "messages for the remote broker not sent: outbox_full (at"
        + " max-outbox-messages), refused (by the remote broker), expired", "bridge", "reason");
    connects = t.gauge("bridge_connects_total", "successful connections of the bridge", "bridge");
    connectFailures = t.gauge("bridge_connect_failures_total", "failed connection attempts of the bridge", "bridge");
  }

  /** The bridge's state changed (or its counters moved): update the metrics and health; $SYS if the link moved. */
  public void changed(Bridge bridge) {
    BridgeState s = bridge.state();
    String n = s.bridge();
    connected.labels(n).set(s.connected() ? 1 : 0);
    backlog.labels(n).set(s.backlog());
    inflight.labels(n).set(s.inflight());
    sent.labels(n).set(s.sent());
    resent.labels(n).set(s.resent());
    received.labels(n).set(s.received());
    duplicatesIgnored.labels(n).set(s.duplicatesIgnored());
    dropped.labels(n, "outbox_full").set(s.droppedOutboxFull());
    dropped.labels(n, "refused").set(s.droppedRefused());
    dropped.labels(n, "expired").set(s.droppedExpired());
    connects.labels(n).set(s.connects());
    connectFailures.labels(n).set(s.connectFailures());
    HealthComponent h = health.computeIfAbsent(n, k -> telemetry.health("bridge-" + k));
    if (s.connected()) {
      h.ok();
    } else if (s.link() != BridgeState.Link.STOPPED) {
      h.degraded("bridge " + n + " is not connected" + (s.lastError() == null ? "" : " (" + s.lastError() + ")")
          + "; " + s.backlog() + " messages wait in its outbox");
    }
    if (published.get(n) != s.link()) {
      publish(s);
    }
  }

  /** Publishes the retained state message (also periodically, for the backlog). */
  public void publish(BridgeState s) {
    published.put(s.bridge(), s.link());
    broker.publish(new PublishedMessage(topic(s.bridge()), s.toJson().encode().getBytes(StandardCharsets.UTF_8), 0,
        true, MessageProperties.NONE, 0, "$SYS"));
  }

  public static String topic(String bridge) {
    return "$SYS/edgewhisk/bridges/" + bridge + "/state";
  }
}
