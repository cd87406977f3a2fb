package io.edgewhisk.mqtt.broker;

import java.util.Objects;

/**
 * An application message as the broker received it: what it routes to subscribers, keeps as retained and
 * stores for persistent sessions. {@code expiresAt} is epoch milliseconds, 0 when the message never expires
 * (MQTT 5 Message Expiry Interval); {@code publisher} is the client id it came from, for no-local.
 */
public record PublishedMessage(String topic, byte[] payload, int qos, boolean retain, MessageProperties properties,
                               long expiresAt, String publisher) {
  public PublishedMessage {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(properties, "properties");
    Objects.requireNonNull(publisher, "publisher");
    if (qos < 0 || qos > 2) {
      throw new IllegalArgumentException("qos " + qos);
    }
  }

  public boolean expired(long now) {
    return expiresAt != 0 && now >= expiresAt;
  }

  /** Seconds left before expiry, at least 1 while not expired (what is sent on as Message Expiry Interval). */
  public long remainingExpirySeconds(long now) {
    return Math.max(1, (expiresAt - now + 999) / 1000);
  }

  /** The same message with another retain flag (retain-as-published, retained delivery). */
  public PublishedMessage withRetain(boolean flag) {
    return flag == retain ? this : new PublishedMessage(topic, payload, qos, flag, properties, expiresAt, publisher);
  }

  /** Bytes this message holds in memory, for the queue bounds. */
  public int weight() {
    return payload.length + Utf8.length(topic) + properties.encodedSize() + 64;
  }
}
