package io.edgewhisk.mqtt.broker;

import io.vertx.core.Future;

/**
 * A subscriber inside the appliance (a trigger feed): it receives matching messages like a session does,
 * and for QoS 1 and 2 the publisher's acknowledgement waits for the future it answers, so a message is
 * acknowledged only once it is durably accepted (e.g. the trigger fire is on the log).
 */
public interface InternalSubscriber {
  Future<Void> deliver(PublishedMessage message, int qos);
}
