package io.edgewhisk.mqtt.broker;

import java.util.Objects;

/**
 * One client's subscription to one topic filter, with MQTT 5's subscription options. {@code filter} is the
 * filter as matched (for a shared subscription, without {@code $share/GROUP/}); {@code shareGroup} is null
 * for an ordinary subscription. {@code identifier} is the MQTT 5 Subscription Identifier, 0 when none.
 */
public record Subscription(String clientId, String filter, String shareGroup, int qos, boolean noLocal,
                           boolean retainAsPublished, int retainHandling, int identifier) {
  public Subscription {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(filter, "filter");
  }

  /** The filter as the client wrote it, the key of the subscription in its session. */
  public String key() {
    return shareGroup == null ? filter : Topics.SHARE_PREFIX + shareGroup + "/" + filter;
  }
}
