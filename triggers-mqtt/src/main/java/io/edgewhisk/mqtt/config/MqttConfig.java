package io.edgewhisk.mqtt.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.List;

/**
 * The {@code edgewhisk.mqtt} section, read and checked once at start (see reference.conf for every key).
 * A bad value stops start-up with a message naming the key.
 */
public record MqttConfig(boolean enabled, String host, int port, int tlsPort, String tlsCertificate, String tlsKey,
                         int websocketPort, boolean allowAnonymous, List<String> anonymousRules,
                         List<String> userRules, int maxKeepAlive, int maxPacketSize, int maxInflight,
                         int receiveMaximum, int topicAliasMaximum, int maxQueuedMessages, long maxQueuedBytes,
                         long maxQueueMemory, int maxConnections, int maxRetained, long sessionExpiryDefault,
                         long maxSessionExpiry, Duration connectTimeout, Duration sysInterval,
                         List<BridgeConfig> bridges) {

  public MqttConfig {
    bridges = List.copyOf(bridges);
  }

  /** Reads the plugin's section, {@code edgewhisk.mqtt} (with the defaults of this plugin's reference.conf). */
  public static MqttConfig from(Config c) {
    MqttConfig config = new MqttConfig(c.getBoolean("enabled"), c.getString("host"), c.getInt("port"),
        c.getInt("tls-port"), c.getString("tls-certificate"), c.getString("tls-key"), c.getInt("websocket-port"),
        c.getBoolean("allow-anonymous"), c.getStringList("anonymous-rules"), c.getStringList("user-rules"),
        seconds(c, "max-keep-alive"), (int) c.getBytes("max-packet-size").longValue(), c.getInt("max-inflight"),
        c.getInt("receive-maximum"), c.getInt("topic-alias-maximum"), c.getInt("max-queued-messages"),
        c.getBytes("max-queued-bytes"), c.getBytes("max-queue-memory"), c.getInt("max-connections"),
        c.getInt("max-retained"), seconds(c, "session-expiry-default"), seconds(c, "max-session-expiry"),
        c.getDuration("connect-timeout"), c.getDuration("sys-interval"), BridgeConfig.all(c));
    config.check();
    return config;
  }

  private static int seconds(Config c, String key) {
    long s = c.getDuration(key).toSeconds();
    if (s < 0 || s > 0xFFFFFFFFL) {
      throw new ConfigException.BadValue("edgewhisk.mqtt." + key, "must be between 0 and 4294967295 seconds");
    }
    return (int) Math.min(Integer.MAX_VALUE, s);
  }

  private void check() {
    range("port", port, 0, 65535);
    range("tls-port", tlsPort, 0, 65535);
    range("websocket-port", websocketPort, -1, 65535);
    range("max-keep-alive", maxKeepAlive, 1, 65535);
    range("max-packet-size", maxPacketSize, 64, 268_435_455);
    range("max-inflight", maxInflight, 1, 65535);
    // Paho v5 reads Receive Maximum and Topic Alias Maximum as signed shorts: stay at or under 32767
    range("receive-maximum", receiveMaximum, 1, 32767);
    range("topic-alias-maximum", topicAliasMaximum, 0, 32767);
    range("max-queued-messages", maxQueuedMessages, 0, Integer.MAX_VALUE);
    range("max-connections", maxConnections, 1, Integer.MAX_VALUE);
    range("max-retained", maxRetained, 0, Integer.MAX_VALUE);
    if (!tlsCertificate.isEmpty() && tlsKey.isEmpty()) {
      throw new ConfigException.BadValue("edgewhisk.mqtt.tls-key", "a TLS certificate needs its key");
    }
    anonymousRules.forEach(r -> rule("anonymous-rules", r));
    userRules.forEach(r -> rule("user-rules", r));
  }

  private static void range(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new ConfigException.BadValue("edgewhisk.mqtt." + key, "must be between " + min + " and " + max);
    }
  }

  private static void rule(String key, String rule) {
    try {
      io.edgewhisk.mqtt.security.AccessRule.parse(rule);
    } catch (IllegalArgumentException e) {
      throw new ConfigException.BadValue("edgewhisk.mqtt." + key, e.getMessage());
    }
  }

  public boolean tlsEnabled() {
    return !tlsCertificate.isEmpty();
  }
}
