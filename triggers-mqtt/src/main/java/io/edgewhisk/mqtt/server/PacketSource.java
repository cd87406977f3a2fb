package io.edgewhisk.mqtt.server;

import io.vertx.core.Handler;

/**
 * Where a TCP connection's decoded packets come from, and how reading them is paused and the connection closed:
 * a bare Netty channel on the broker's event loop ({@link ChannelPacketSource}) or a Vert.x socket (the TLS
 * listener's, {@link NetSocketPacketSource}). Every handler runs on the broker's context.
 */
interface PacketSource {
  void packetHandler(Handler<Object> handler);

  void closeHandler(Handler<Void> handler);

  void exceptionHandler(Handler<Throwable> handler);

  void pause();

  void resume();

  void close();
}
