package io.edgewhisk.mqtt;

import io.edgewhisk.mqtt.broker.Broker;
import io.edgewhisk.mqtt.broker.BrokerStats;
import io.edgewhisk.mqtt.broker.DropReason;
import io.edgewhisk.mqtt.feed.FeedStore;
import io.edgewhisk.mqtt.feed.FeedSubscriptions;
import io.edgewhisk.mqtt.feed.PublishAction;
import io.edgewhisk.mqtt.feed.SubscribeFeed;
import io.edgewhisk.spi.PluginContext;
import io.edgewhisk.spi.Telemetry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The broker's thin adapter to the plugin SPI: the {@code subscribe} feed and {@code publish} action of
 * {@code /whisk.system/mqtt}, and the broker's statistics as metrics under {@code edgewhisk_mqtt_}.
 */
final class SpiExtensions implements MqttBrokerVerticle.BrokerExtensions {
  private final PluginContext plugin;

  SpiExtensions(PluginContext plugin) {
    this.plugin = Objects.requireNonNull(plugin, "plugin");
  }

  @Override
  public Future<Void> start(Broker broker, Context context) {
    Telemetry telemetry = plugin.telemetry();
    metrics(telemetry, broker);
    FeedSubscriptions subscriptions = new FeedSubscriptions(broker, plugin.triggers(),
        telemetry.counter("trigger_fires_total", "trigger fires by MQTT messages, by outcome: fired, no_active_rule,"
            + " refused (throttled, trigger gone or blocked: counted, message acknowledged), failed (not acknowledged)",
            "outcome"));
    SubscribeFeed feed = new SubscribeFeed(new FeedStore(plugin.database()), subscriptions, Set.of("embedded"),
        System::currentTimeMillis);
    telemetry.gauge("feed_subscriptions", "triggers subscribed to MQTT topics through the feed (not paused)",
        subscriptions::size);
    plugin.catalog().provideAction(PublishAction.ACTION, new PublishAction(broker, context));
    return feed.restore().compose(v -> plugin.catalog().provideFeed(SubscribeFeed.ACTION, feed));
  }

  private static void metrics(Telemetry t, Broker broker) {
    BrokerStats s = broker.stats();
    t.gauge("clients_connected", "MQTT clients connected now", s::clientsConnected);
    t.gauge("sessions", "MQTT sessions held (connected, or persistent and offline)", broker::sessionCount);
    t.gauge("messages_received_total", "PUBLISH packets received from clients", s::messagesReceived);
    t.gauge("messages_sent_total", "PUBLISH packets sent to clients", s::messagesSent);
    t.gauge("bytes_received_total", "payload bytes received", s::bytesReceived);
    t.gauge("bytes_sent_total", "payload bytes sent", s::bytesSent);
    t.gauge("retained_messages", "retained messages kept", broker::retainedCount);
    t.gauge("retained_refused_total", "retained messages not kept at max-retained", s::retainedRefused);
    t.gauge("queue_memory_bytes", "memory held by queued messages of all sessions", broker::queueMemory);
    t.gauge("connections_refused_total", "CONNECTs refused (credentials, rules, limits)", s::connectionsRefused);
    t.gauge("connections_closed_at_limits_total", "connections refused or closed at a bound (max-connections,"
        + " max-packet-size)", s::connectionsClosedForLimits);
    for (DropReason r : DropReason.values()) {
      t.gauge("dropped_" + r.name().toLowerCase(Locale.ROOT) + "_total", "messages not delivered: "
          + r.name().toLowerCase(Locale.ROOT).replace('_', ' '), () -> s.dropped(r));
    }
  }
}
