package io.edgewhisk.mqtt.broker;

/**
 * The encoded size of an outbound PUBLISH, computed without encoding it, so that a message over a client's
 * Maximum Packet Size is never written to it (MQTT 5 §3.1.2.11.4).
 */
final class PacketSizes {
  private PacketSizes() {}

  static int publish(Delivery d, int protocolVersion, long now) {
    PublishedMessage m = d.message();
    long remaining = 2L + Utf8.length(m.topic()) + (d.qos() > 0 ? 2 : 0) + m.payload().length;
    if (protocolVersion == 5) {
      int props = m.properties().encodedSize() + (m.expiresAt() != 0 ? 5 : 0);
      for (int id : d.subscriptionIds()) {
        props += 1 + varIntSize(id);
      }
      remaining += props + varIntSize(props);
    }
    long total = 1 + varIntSize(remaining) + remaining;
    return (int) Math.min(Integer.MAX_VALUE, total);
  }

  static int varIntSize(long value) {
    int n = 1;
    while (value >= 128) {
      value >>= 7;
      n++;
    }
    return n;
  }
}
