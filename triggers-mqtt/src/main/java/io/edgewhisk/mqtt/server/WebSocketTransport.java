package io.edgewhisk.mqtt.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

/**
 * MQTT over WebSocket (path {@code /mqtt}, subprotocol {@code mqtt}): the bytes of binary frames go through
 * Netty's MQTT codec run in memory, so a packet may span frames and a frame hold several packets (MQTT 5 §6).
 */
final class WebSocketTransport implements Transport {
  private static final AttributeKey<MqttVersion> VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");
  private final ServerWebSocket ws;
  private final EmbeddedChannel decoder;
  private final EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
  private Handler<Object> handler = m -> { };

  WebSocketTransport(ServerWebSocket ws, int decoderLimit) {
    this.ws = ws;
    this.decoder = new EmbeddedChannel(new MqttDecoder(decoderLimit, 65535));
    ws.binaryMessageHandler(this::received);
    ws.textMessageHandler(text -> ws.close());
    ws.exceptionHandler(t -> ws.close());
  }

  private void received(Buffer bytes) {
    decoder.writeInbound(Unpooled.wrappedBuffer(bytes.getBytes()));
    for (Object m = decoder.readInbound(); m != null; m = decoder.readInbound()) {
      handler.handle(m);
    }
  }

  @Override
  public void packetHandler(Handler<Object> h) {
    this.handler = h;
  }

  @Override
  public void closeHandler(Handler<Void> h) {
    ws.closeHandler(v -> {
      decoder.finishAndReleaseAll();
      encoder.finishAndReleaseAll();
      h.handle(null);
    });
  }

  @Override
  public void write(MqttMessage message) {
    // the encoder frames by the protocol version the decoder learned from CONNECT
    encoder.attr(VERSION).set(decoder.attr(VERSION).get());
    encoder.writeOutbound(message);
    for (ByteBuf b = encoder.readOutbound(); b != null; b = encoder.readOutbound()) {
      byte[] out = new byte[b.readableBytes()];
      b.readBytes(out);
      b.release();
      ws.writeBinaryMessage(Buffer.buffer(out));
    }
  }

  @Override
  public void pause() {
    ws.pause();
  }

  @Override
  public void resume() {
    ws.resume();
  }

  @Override
  public boolean writeQueueFull() {
    return ws.writeQueueFull();
  }

  @Override
  public void drainHandler(Handler<Void> handler) {
    ws.drainHandler(handler);
  }

  @Override
  public void close() {
    ws.close();
  }
}
