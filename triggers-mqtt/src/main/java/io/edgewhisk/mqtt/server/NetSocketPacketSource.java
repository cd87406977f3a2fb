package io.edgewhisk.mqtt.server;

import io.vertx.core.Handler;
import io.vertx.core.internal.net.NetSocketInternal;

/** The packets of a Vert.x socket with Netty's MQTT codec in its pipeline (the TLS listener's connections). */
final class NetSocketPacketSource implements PacketSource {
  private final NetSocketInternal socket;

  NetSocketPacketSource(NetSocketInternal socket) {
    this.socket = socket;
  }

  @Override
  public void packetHandler(Handler<Object> handler) {
    socket.messageHandler(handler);
  }

  @Override
  public void closeHandler(Handler<Void> handler) {
    socket.closeHandler(handler);
  }

  @Override
  public void exceptionHandler(Handler<Throwable> handler) {
    socket.exceptionHandler(handler);
  }

  @Override
  public void pause() {
    socket.pause();
  }

  @Override
  public void resume() {
    socket.resume();
  }

  @Override
  public void close() {
    socket.close();
  }
}
