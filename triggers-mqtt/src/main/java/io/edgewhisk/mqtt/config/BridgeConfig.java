package io.edgewhisk.mqtt.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.edgewhisk.mqtt.broker.Topics;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One {@code edgewhisk.mqtt.bridges.NAME} section: a link from the embedded broker to another MQTT broker, read
 * over {@code edgewhisk.mqtt.bridge-defaults} and checked once at start (see reference.conf for every key).
 * {@code clientId} empty means one derived from the appliance's bridge id; {@code passwordFile} is read when the
 * bridge connects, so a rotated password needs no restart.
 */
public record BridgeConfig(String name, List<String> urls, String clientId, String username, Path passwordFile,
                           boolean mqtt5, int keepAliveSeconds, int connectTimeoutSeconds, long sessionExpirySeconds,
                           Duration reconnectMinDelay, Duration reconnectMaxDelay, int maxInflight,
                           long maxOutboxMessages, Path tlsCaFile, boolean tlsVerifyHostname, List<ForwardRule> rules) {

  public BridgeConfig {
    Objects.requireNonNull(name, "name");
    urls = List.copyOf(urls);
    rules = List.copyOf(rules);
  }

  /** Reads every bridge of {@code edgewhisk.mqtt} ({@code bridges}, each over {@code bridge-defaults}). */
  public static List<BridgeConfig> all(Config mqtt) {
    List<BridgeConfig> out = new ArrayList<>();
    if (!mqtt.hasPath("bridges")) {
      return out;
    }
    Config defaults = mqtt.getConfig("bridge-defaults");
    for (String name : mqtt.getObject("bridges").keySet()) {
      if (!name.matches("[a-z0-9][a-z0-9_-]{0,39}")) {
        throw new ConfigException.BadValue("edgewhisk.mqtt.bridges." + name,
            "a bridge name is 1-40 characters of a-z, 0-9, '_' and '-', starting with a letter or digit"
                + " (it names the bridge's log topic, metrics and $SYS topic)");
      }
      if (name.equals("embedded")) {
        throw new ConfigException.BadValue("edgewhisk.mqtt.bridges.embedded", "'embedded' names the embedded broker");
      }
      out.add(from(name, mqtt.getConfig("bridges." + quote(name)).withFallback(defaults)));
    }
    return out;
  }

  private static String quote(String name) {
    return "\"" + name + "\"";
  }

  static BridgeConfig from(String name, Config c) {
    Keys k = new Keys(name);
    List<String> urls = c.getStringList("urls");
    if (urls.isEmpty()) {
      throw k.bad("urls", "a bridge needs at least one broker URL (tcp://host:1883 or ssl://host:8883)");
    }
    urls.forEach(u -> url(k, u));
    String version = c.getString("mqtt-version");
    if (!version.equals("3.1.1") && !version.equals("5")) {
      throw k.bad("mqtt-version", "must be \"3.1.1\" or \"5\", not \"" + version + "\"");
    }
    String username = c.getString("username");
    String passwordFile = c.getString("password-file");
    if (!passwordFile.isEmpty()) {
      if (username.isEmpty()) {
        throw k.bad("password-file", "a password needs a username");
      }
      if (!Files.isReadable(Path.of(passwordFile))) {
        throw k.bad("password-file", "cannot read " + passwordFile);
      }
    }
    String ca = c.getString("tls.ca-file");
    if (!ca.isEmpty() && !Files.isReadable(Path.of(ca))) {
      throw k.bad("tls.ca-file", "cannot read " + ca);
    }
    String clientId = c.getString("client-id");
    if (clientId.length() > 65535 || clientId.contains("\u0000")) {
      throw k.bad("client-id", "must be a UTF-8 string without NUL");
    }
    Duration min = c.getDuration("reconnect-min-delay");
    Duration max = c.getDuration("reconnect-max-delay");
    if (min.toMillis() < 10 || max.compareTo(min) < 0) {
      throw k.bad("reconnect-max-delay", "reconnect-min-delay must be at least 10ms and at most reconnect-max-delay");
    }
    BridgeConfig config = new BridgeConfig(name, urls, clientId, username,
        passwordFile.isEmpty() ? null : Path.of(passwordFile), version.equals("5"),
        (int) k.range("keep-alive", c.getDuration("keep-alive").toSeconds(), 1, 65535),
        (int) k.range("connect-timeout", c.getDuration("connect-timeout").toSeconds(), 1, 3600),
        k.range("session-expiry", c.getDuration("session-expiry").toSeconds(), 0, 0xFFFFFFFEL), min, max,
        // Paho v5 reads Receive Maximum as a signed short: never more than 32767
        (int) k.range("max-inflight", c.getInt("max-inflight"), 1, 32767),
        k.range("max-outbox-messages", c.getLong("max-outbox-messages"), 1, 1_000_000_000L),
        ca.isEmpty() ? null : Path.of(ca), c.getBoolean("tls.verify-hostname"), rules(k, c));
    config.checkLoops(k);
    return config;
  }

  private static void url(Keys k, String u) {
    try {
      URI uri = new URI(u);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("tcp") && !scheme.equals("ssl") || uri.getHost() == null) {
        throw k.bad("urls", "'" + u + "' is not tcp://HOST[:PORT] or ssl://HOST[:PORT]");
      }
    } catch (URISyntaxException e) {
      throw k.bad("urls", "'" + u + "' is not a URL: " + e.getMessage());
    }
  }

  private static List<ForwardRule> rules(Keys k, Config c) {
    List<ForwardRule> rules = new ArrayList<>();
    List<? extends Config> list = c.getConfigList("forward");
    for (int i = 0; i < list.size(); i++) {
      try {
        rules.add(ForwardRule.from(list.get(i)));
      } catch (IllegalArgumentException | ConfigException e) {
        throw k.bad("forward." + i, e.getMessage());
      }
    }
    return rules;
  }

  /**
   * A message that came in over this bridge is never sent back over it, but an out rule that covers what an in
   * rule writes would be a loop through any 3.1.1 peer (which cannot carry our loop marker): refused here.
   */
  private void checkLoops(Keys k) {
    for (ForwardRule in : rules) {
      for (ForwardRule out : rules) {
        if (in.direction() == ForwardRule.Direction.IN && out.direction() == ForwardRule.Direction.OUT
            && Topics.overlap(in.localFilter(), out.localFilter())) {
          throw k.bad("forward", "the in rule '" + in.remoteFilter() + "' writes local topics '" + in.localFilter()
              + "' that the out rule '" + out.localFilter() + "' would send back: a loop; use distinct prefixes");
        }
      }
    }
  }

  public String outboxTopic() {
    return "bridge." + name + ".outbox";
  }

  public boolean tls() {
    return urls.stream().anyMatch(u -> u.toLowerCase(Locale.ROOT).startsWith("ssl:"));
  }

  private record Keys(String name) {
    ConfigException bad(String key, String message) {
      return new ConfigException.BadValue("edgewhisk.mqtt.bridges." + name + "." + key, message);
    }

    long range(String key, long value, long min, long max) {
      if (value < min || value > max) {
        throw bad(key, "must be between " + min + " and " + max);
      }
      return value;
    }
  }
}
