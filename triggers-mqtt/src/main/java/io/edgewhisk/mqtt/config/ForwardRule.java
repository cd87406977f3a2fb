package io.edgewhisk.mqtt.config;

import com.typesafe.config.Config;
import io.edgewhisk.mqtt.broker.Topics;
import java.util.Locale;
import java.util.Objects;

/**
 * One forwarding rule of a bridge, as Mosquitto's {@code topic} line: {@code OUT} sends local messages matching
 * {@code localPrefix + topic} to the remote broker as {@code remotePrefix + rest}; {@code IN} subscribes to
 * {@code remotePrefix + topic} there and publishes into the embedded broker as {@code localPrefix + rest}. The QoS
 * is the highest the rule carries (a message keeps a lower QoS of its own).
 */
public record ForwardRule(Direction direction, String topic, String localPrefix, String remotePrefix, int qos) {
  /** Which way a rule forwards. */
  public enum Direction { IN, OUT }

  public ForwardRule {
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(localPrefix, "localPrefix");
    Objects.requireNonNull(remotePrefix, "remotePrefix");
    if (!Topics.isValidFilter(topic) || topic.startsWith(Topics.SHARE_PREFIX)) {
      throw new IllegalArgumentException("topic '" + topic + "' is not a valid MQTT topic filter");
    }
    prefix("local-prefix", localPrefix);
    prefix("remote-prefix", remotePrefix);
    if (qos < 0 || qos > 2) {
      throw new IllegalArgumentException("qos must be 0, 1 or 2");
    }
  }

  private static void prefix(String key, String prefix) {
    if (!prefix.isEmpty() && (!Topics.isValidTopicName(prefix) || !prefix.endsWith("/"))) {
      throw new IllegalArgumentException(key + " '" + prefix + "' must be empty or a topic name ending in '/'"
          + " without wildcards");
    }
  }

  static ForwardRule from(Config c) {
    String direction = c.getString("direction").toUpperCase(Locale.ROOT);
    if (!direction.equals("IN") && !direction.equals("OUT")) {
      throw new IllegalArgumentException("direction must be in or out, not '" + c.getString("direction") + "'");
    }
    return new ForwardRule(Direction.valueOf(direction), c.getString("topic"),
        c.hasPath("local-prefix") ? c.getString("local-prefix") : "",
        c.hasPath("remote-prefix") ? c.getString("remote-prefix") : "", c.hasPath("qos") ? c.getInt("qos") : 1);
  }

  public String localFilter() {
    return localPrefix + topic;
  }

  public String remoteFilter() {
    return remotePrefix + topic;
  }

  /** The remote topic of a local one this (OUT) rule matched. */
  public String toRemote(String localTopic) {
    return remotePrefix + localTopic.substring(localPrefix.length());
  }

  /** The local topic of a remote one this (IN) rule matched. */
  public String toLocal(String remoteTopic) {
    return localPrefix + remoteTopic.substring(remotePrefix.length());
  }
}
