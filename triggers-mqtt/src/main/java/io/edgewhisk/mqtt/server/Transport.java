package io.edgewhisk.mqtt.server;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.vertx.core.Handler;

/** How a connection's MQTT packets travel: a TCP (or TLS) socket, or WebSocket binary frames. */
interface Transport {
  /** Where decoded packets (Netty's {@link MqttMessage}s, possibly with a failed decoder result) go. */
  void packetHandler(Handler<Object> handler);

  void closeHandler(Handler<Void> handler);

  void write(MqttMessage message);

  void pause();

  void resume();

  boolean writeQueueFull();

  /** Called when a write queue that was full can take more. */
  void drainHandler(Handler<Void> handler);

  void close();
}
