package io.edgewhisk.mqtt.server;

import java.util.HashMap;
import java.util.Map;

/**
 * MQTT 5 topic aliases of one connection, both ways: the client's aliases for topics it publishes to
 * (up to our Topic Alias Maximum), and ours for topics we send to it (up to the client's). Outbound aliases
 * are given to the first topics sent and kept for the connection.
 */
final class TopicAliases {
  private final int inboundMaximum;
  private final Map<Integer, String> inbound = new HashMap<>();
  private final Map<String, Integer> outbound = new HashMap<>();
  private int outboundMaximum;

  TopicAliases(int inboundMaximum) {
    this.inboundMaximum = inboundMaximum;
  }

  void outboundMaximum(int max) {
    this.outboundMaximum = max;
  }

  /** Whether the client may use this alias number. */
  boolean validInbound(int alias) {
    return alias >= 1 && alias <= inboundMaximum;
  }

  void define(int alias, String topic) {
    inbound.put(alias, topic);
  }

  String resolve(int alias) {
    return inbound.get(alias);
  }

  /**
   * The alias to send a topic with: positive when newly assigned (send topic and alias), negative when the
   * client already knows it (send the alias alone), 0 when none.
   */
  int outbound(String topic) {
    Integer known = outbound.get(topic);
    if (known != null) {
      return -known;
    }
    if (outbound.size() < outboundMaximum) {
      int alias = outbound.size() + 1;
      outbound.put(topic, alias);
      return alias;
    }
    return 0;
  }
}
