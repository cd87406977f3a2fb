package io.edgewhisk.mqtt.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A bare MQTT client over a socket, for what real clients will not send: raw bytes, malformed packets, and
 * exact packets read back as the broker wrote them (encoded and decoded with Netty's codec in memory).
 */
final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
  private final EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(1 << 20, 65535));

  RawClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5000);
  }

  void writeBytes(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  /** Encodes with Netty's encoder (which needs the version for MQTT 5 framing) and sends. */
  void send(MqttMessage m, MqttVersion version) throws IOException {
    writeBytes(encode(m, version));
  }

  private byte[] encode(MqttMessage m, MqttVersion version) {
    setVersion(encoder, version);
    encoder.writeOutbound(m);
    ByteBuf buf = encoder.readOutbound();
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    buf.release();
    return bytes;
  }

  void connect(String clientId, MqttVersion version, MqttProperties props) throws IOException {
    connect(clientId, version, props, EmbeddedBroker.PASSWORD, List.of());
  }

  /** Sends CONNECT and the packets {@code behind} it in one write, without waiting for CONNACK. */
  void connect(String clientId, MqttVersion version, MqttProperties props, String password, List<MqttMessage> behind)
      throws IOException {
    setVersion(decoder, version);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(encode(MqttMessageBuilders.connect().clientId(clientId).protocolVersion(version).cleanSession(true)
        .keepAlive(60).hasUser(true).username(EmbeddedBroker.USER).hasPassword(true)
        .password(password.getBytes(StandardCharsets.UTF_8)).properties(props).build(), version));
    for (MqttMessage m : behind) {
      all.writeBytes(encode(m, version));
    }
    writeBytes(all.toByteArray());
  }

  /** The next packet from the broker, null if it closed the connection or sent nothing within the timeout. */
  MqttMessage read() throws IOException {
    MqttMessage m = decoder.readInbound();
    InputStream in = socket.getInputStream();
    byte[] chunk = new byte[65536];
    while (m == null) {
      int n;
      try {
        n = in.read(chunk);
      } catch (SocketTimeoutException e) {
        return null;
      } catch (IOException e) {
        return null;
      }
      if (n < 0) {
        return null;
      }
      decoder.writeInbound(Unpooled.copiedBuffer(chunk, 0, n));
      m = decoder.readInbound();
    }
    return m;
  }

  /** Whether the broker closed the connection (reads until end of stream, at most the socket timeout). */
  boolean closedByBroker() throws IOException {
    try {
      while (true) {
        MqttMessage m = read();
        if (m == null) {
          return socket.getInputStream().read() < 0;
        }
      }
    } catch (IOException e) {
      return true;
    }
  }

  private static void setVersion(EmbeddedChannel ch, MqttVersion version) {
    // the codec keeps the protocol version in a channel attribute that it sets when it sees CONNECT
    ch.attr(io.netty.util.AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION")).set(version);
  }

  @Override
  public void close() throws IOException {
    socket.close();
    encoder.finishAndReleaseAll();
    decoder.finishAndReleaseAll();
  }
}
