package io.edgewhisk.mqtt;

import io.edgewhisk.mqtt.bridge.Backoff;
import io.edgewhisk.mqtt.bridge.Bridge;
import io.edgewhisk.mqtt.bridge.BridgeReporter;
import io.edgewhisk.mqtt.bridge.Bridges;
import io.edgewhisk.mqtt.bridge.Outbox;
import io.edgewhisk.mqtt.bridge.paho.PahoLinks;
import io.edgewhisk.mqtt.broker.Broker;
import io.edgewhisk.mqtt.broker.BrokerStats;
import io.edgewhisk.mqtt.broker.DropReason;
import io.edgewhisk.mqtt.config.BridgeConfig;
import io.edgewhisk.mqtt.config.MqttConfig;
import io.edgewhisk.mqtt.feed.FeedStore;
import io.edgewhisk.mqtt.feed.FeedSubscriptions;
import io.edgewhisk.mqtt.feed.PublishAction;
import io.edgewhisk.mqtt.feed.SubscribeFeed;
import io.edgewhisk.spi.PluginContext;
import io.edgewhisk.spi.Telemetry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The broker's thin adapter to the plugin SPI: the {@code subscribe} feed and {@code publish} action of
 * {@code /whisk.system/mqtt}, the bridges (their outboxes on the plugin's log topics, their state in metrics and
 * health), and the broker's statistics as metrics under {@code edgewhisk_mqtt_}.
 */
final class SpiExtensions implements MqttBrokerVerticle.BrokerExtensions {
  private final PluginContext plugin;
  private final MqttConfig config;
  private Bridges bridges = Bridges.NONE;
  private long sysTimer = -1;

  SpiExtensions(PluginContext plugin, MqttConfig config) {
    this.plugin = Objects.requireNonNull(plugin, "plugin");
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public Future<Void> start(Broker broker, Context context) {
    Telemetry telemetry = plugin.telemetry();
    metrics(telemetry, broker);
    return bridges(broker, context).compose(started -> {
      bridges = started;
      FeedSubscriptions subscriptions = new FeedSubscriptions(broker, bridges, plugin.triggers(),
          telemetry.counter("trigger_fires_total", "trigger fires by MQTT messages, by outcome: fired, no_active_rule,"
              + " refused (throttled, trigger gone or blocked: counted, message acknowledged), failed (not"
              + " acknowledged)", "outcome"));
      Set<String> brokers = new HashSet<>(bridges.names());
      brokers.add("embedded");
      SubscribeFeed feed = new SubscribeFeed(new FeedStore(plugin.database()), subscriptions, brokers,
          System::currentTimeMillis);
      telemetry.gauge("feed_subscriptions", "triggers subscribed to MQTT topics through the feed (not paused)",
          subscriptions::size);
      plugin.catalog().provideAction(PublishAction.ACTION, new PublishAction(broker, context, bridges));
      return feed.restore().compose(v -> plugin.catalog().provideFeed(SubscribeFeed.ACTION, feed));
    });
  }

  @Override
  public Future<Void> stop() {
    plugin.vertx().cancelTimer(sysTimer);
    return bridges.stop();
  }

  private Future<Bridges> bridges(Broker broker, Context context) {
    if (config.bridges().isEmpty()) {
      return Future.succeededFuture(Bridges.NONE);
    }
    return bridgeId().compose(id -> {
      broker.loopMark(Bridge.LOOP_PROPERTY, id);
      BridgeReporter reporter = new BridgeReporter(broker, plugin.telemetry());
      List<Bridge> all = new ArrayList<>();
      for (BridgeConfig c : config.bridges()) {
        all.add(new Bridge(c, plugin.vertx(), broker,
            new Outbox(plugin.log(), c.outboxTopic(), "bridge-" + c.name(), c.maxOutboxMessages()),
            new PahoLinks(context), this::password, id,
            new Backoff(c.reconnectMinDelay(), c.reconnectMaxDelay(), () -> ThreadLocalRandom.current().nextDouble()),
            System::currentTimeMillis, reporter::changed));
      }
      Bridges started = new Bridges(all);
      sysTimer = plugin.vertx().setPeriodic(config.sysInterval().toMillis(),
          t -> started.all().forEach(b -> reporter.publish(b.state())));
      return started.start().map(started);
    });
  }

  /**
   * This appliance's bridge id: random, made once, kept in {@code bridge-id} in the plugin's directory. It marks what
   * leaves through a bridge (loop prevention) and names the default client ids.
   */
  private Future<String> bridgeId() {
    String file = plugin.dataDir().resolve("bridge-id").toString();
    var fs = plugin.vertx().fileSystem();
    return fs.exists(file).compose(exists -> {
      if (exists) {
        return fs.readFile(file).map(b -> b.toString(StandardCharsets.UTF_8).strip());
      }
      String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      return fs.writeFile(file, Buffer.buffer(id + "\n")).map(id);
    });
  }

  /** The password file's first line, read for each connection attempt (so a rotated password needs no restart). */
  private Future<char[]> password(BridgeConfig c) {
    if (c.passwordFile() == null) {
      return Future.succeededFuture(null);
    }
    return plugin.vertx().fileSystem().readFile(c.passwordFile().toString()).map(b -> {
      String s = b.toString(StandardCharsets.UTF_8);
      int nl = s.indexOf('\n');
      return (nl < 0 ? s : s.substring(0, nl)).replace("\r", "").toCharArray();
    });
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
