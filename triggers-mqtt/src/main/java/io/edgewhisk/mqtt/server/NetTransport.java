package io.edgewhisk.mqtt.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.vertx.core.Handler;
import io.vertx.core.internal.net.NetSocketInternal;

/** A TCP or TLS connection with Netty's MQTT codec in its pipeline, as vertx-mqtt does it. */
final class NetTransport implements Transport {
  private final NetSocketInternal socket;
  private final ChannelHandlerContext context;
  private boolean flushPending;

  NetTransport(NetSocketInternal socket, int decoderLimit) {
    this.socket = socket;
    this.context = socket.channelHandlerContext();
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

  /**
   * Writes without flushing and flushes once when the event loop has finished what it is doing: a burst of
   * messages routed to this client while reading a publisher's packets leaves in one system call, not one each.
   */
  @Override
  public void write(MqttMessage message) {
    context.write(message, context.voidPromise());
    if (!flushPending) {
      flushPending = true;
      context.executor().execute(() -> {
        flushPending = false;
        context.flush();
      });
    }
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
