package io.edgewhisk.mqtt.server;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.vertx.core.Handler;
import io.vertx.core.internal.net.NetSocketInternal;

/** A TCP or TLS connection with Netty's MQTT codec in its pipeline, as vertx-mqtt does it. */
final class NetTransport implements Transport {
  private final NetSocketInternal socket;

  NetTransport(NetSocketInternal socket, int decoderLimit) {
    this.socket = socket;
    ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
    pipeline.addBefore("handler", "mqttEncoder", MqttEncoder.INSTANCE);
    pipeline.addBefore("handler", "mqttDecoder", new MqttDecoder(decoderLimit, 65535));
    socket.exceptionHandler(t -> socket.close());
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
  public void write(MqttMessage message) {
    socket.writeMessage(message);
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
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public void close() {
    socket.close();
  }
}
