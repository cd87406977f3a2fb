package io.edgewhisk.mqtt.broker;

import java.util.Objects;

/** A client's last will: the message, and the MQTT 5 Will Delay Interval in seconds (0 for 3.1.1). */
public record Will(PublishedMessage message, long delaySeconds) {
  public Will {
    Objects.requireNonNull(message, "message");
  }
}
