package io.edgewhisk.mqtt.broker;

import java.util.List;
import java.util.Objects;

/**
 * A message on its way to one session: the QoS and retain flag it is delivered with (after the
 * subscriptions' options), the MQTT 5 subscription identifiers that matched, and {@code key}, the
 * broker-wide number under which it is stored for a persistent session (0 when it is not stored).
 */
public record Delivery(PublishedMessage message, int qos, boolean retain, List<Integer> subscriptionIds, long key) {
  public Delivery {
    Objects.requireNonNull(message, "message");
    subscriptionIds = List.copyOf(subscriptionIds);
  }

  public Delivery withKey(long newKey) {
    return new Delivery(message, qos, retain, subscriptionIds, newKey);
  }
}
