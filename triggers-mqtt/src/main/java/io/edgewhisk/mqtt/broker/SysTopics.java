package io.edgewhisk.mqtt.broker;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Publishes the broker's statistics as retained {@code $SYS/broker/...} messages (the topics Mosquitto uses),
 * so any MQTT client can watch clients, traffic, drops and bounds. Called periodically on the broker's loop.
 */
public final class SysTopics {
  private final Broker broker;
  private final LongSupplier clock;
  private final String version;

  public SysTopics(Broker broker, LongSupplier clock, String version) {
    this.broker = Objects.requireNonNull(broker, "broker");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.version = Objects.requireNonNull(version, "version");
  }

  /** The current values by topic. */
  public Map<String, String> values() {
    BrokerStats s = broker.stats();
    long now = clock.getAsLong();
    Map<String, String> v = new LinkedHashMap<>();
    v.put("$SYS/broker/version", version);
    v.put("$SYS/broker/uptime", s.uptimeSeconds(now) + " seconds");
    v.put("$SYS/broker/clients/connected", Long.toString(s.clientsConnected()));
    v.put("$SYS/broker/clients/total", Integer.toString(broker.sessionCount()));
    v.put("$SYS/broker/clients/refused", Long.toString(s.connectionsRefused()));
    v.put("$SYS/broker/clients/closed-at-limits", Long.toString(s.connectionsClosedForLimits()));
    v.put("$SYS/broker/messages/received", Long.toString(s.messagesReceived()));
    v.put("$SYS/broker/messages/sent", Long.toString(s.messagesSent()));
    v.put("$SYS/broker/bytes/received", Long.toString(s.bytesReceived()));
    v.put("$SYS/broker/bytes/sent", Long.toString(s.bytesSent()));
    v.put("$SYS/broker/messages/dropped", Long.toString(s.droppedTotal()));
    for (DropReason r : DropReason.values()) {
      v.put("$SYS/broker/messages/dropped/" + r.name().toLowerCase(Locale.ROOT).replace('_', '-'),
          Long.toString(s.dropped(r)));
    }
    v.put("$SYS/broker/retained messages/count", Integer.toString(broker.retainedCount()));
    v.put("$SYS/broker/retained messages/refused", Long.toString(s.retainedRefused()));
    v.put("$SYS/broker/queue/memory-bytes", Long.toString(broker.queueMemory()));
    return v;
  }

  public void publish() {
    values().forEach((topic, value) -> broker.publish(new PublishedMessage(topic,
        value.getBytes(StandardCharsets.UTF_8), 0, true, MessageProperties.NONE, 0, "$SYS")));
  }
}
