package io.edgewhisk.mqtt.broker;

/** What a session tells the broker about its outbound messages, for storage and statistics. */
interface DeliveryListener {
  /** A queued stored message went out with this packet id (its stored record must learn the id). */
  void sent(Session session, Delivery delivery, int packetId);

  /** A message was not delivered; {@code reason} names the bound or cause, for metrics. */
  void dropped(Session session, Delivery delivery, DropReason reason);
}
