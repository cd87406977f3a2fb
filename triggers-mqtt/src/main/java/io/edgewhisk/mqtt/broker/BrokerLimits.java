package io.edgewhisk.mqtt.broker;

/** The per-session bounds a session enforces (see {@code edgewhisk.mqtt} in reference.conf). */
public record BrokerLimits(int maxInflight, int maxQueuedMessages, long maxQueuedBytes) {
  public BrokerLimits {
    if (maxInflight < 1 || maxInflight > 65535) {
      throw new IllegalArgumentException("max-inflight must be 1..65535");
    }
    if (maxQueuedMessages < 0 || maxQueuedBytes < 0) {
      throw new IllegalArgumentException("queue bounds must not be negative");
    }
  }
}
