package io.edgewhisk.mqtt.broker;

/**
 * The broker's view of a connected client: what it can send it and the limits the client announced.
 * Implemented by the network connection, and by recording fakes in tests.
 */
public interface ClientLink {
  /** MQTT protocol level: 3 (3.1), 4 (3.1.1) or 5. */
  int protocolVersion();

  /** The client's Receive Maximum (65535 for 3.1.1 clients). */
  int receiveMaximum();

  /** The client's Maximum Packet Size in bytes (MQTT's maximum when it set none). */
  int maximumPacketSize();

  /** Whether a QoS 0 message may be written now without growing an unbounded write queue. */
  boolean writable();

  /** Writes a PUBLISH; {@code packetId} is 0 at QoS 0. */
  void publish(Delivery delivery, int packetId, boolean dup);

  /** Writes a PUBREL for an outbound QoS 2 message the client has PUBREC'd. */
  void pubrel(int packetId);

  /** Closes the connection; for an MQTT 5 client a DISCONNECT with this reason code goes first. */
  void disconnect(int reasonCode, String reason);
}
