package io.edgewhisk.mqtt.it;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Idle MQTT connections to a broker and the resident memory they add to it: opens them one by one (MQTT 3.1.1
 * CONNECTs, their CONNACKs read every 500 and each checked to accept), waits 3 s, and divides the broker
 * process's growth in RSS by their number. One connection first, so that what a first client loads or caches
 * (the password check, the JIT) is not counted. The connections stay open until this is closed.
 * {@code TenThousandConnectionsIT} and the benchmark ({@code BrokerBenchmark}) both measure with it.
 */
public final class IdleConnections implements AutoCloseable {
  private static final int BATCH = 500;
  private final List<Socket> sockets;
  private final long bytesEach;
  private final long connectMillis;

  private IdleConnections(List<Socket> sockets, long bytesEach, long connectMillis) {
    this.sockets = sockets;
    this.bytesEach = bytesEach;
    this.connectMillis = connectMillis;
  }

  /**
   * Opens {@code count} connections to the broker on {@code port} (its process {@code pid}) as {@code user}
   * with {@code password}, or anonymously when {@code user} is null, and measures what they add.
   */
  public static IdleConnections open(int port, long pid, int count, String user, String password) throws Exception {
    try (Socket warm = connect(port, "idle-warm", user, password)) {
      readConnAck(warm);
    }
    Thread.sleep(1000);
    long before = rssKb(pid);
    List<Socket> sockets = new ArrayList<>(count);
    try {
      long t0 = System.nanoTime();
      for (int i = 0; i < count; i++) {
        sockets.add(connect(port, "idle-" + i, user, password));
        if (sockets.size() % BATCH == 0 || i == count - 1) {
          for (Socket s : sockets.subList((sockets.size() - 1) / BATCH * BATCH, sockets.size())) {
            readConnAck(s);
          }
        }
      }
      long connectMillis = (System.nanoTime() - t0) / 1_000_000;
      Thread.sleep(3000);
      return new IdleConnections(sockets, (rssKb(pid) - before) * 1024 / count, connectMillis);
    } catch (Exception | Error e) {
      closeAll(sockets);
      throw e;
    }
  }

  /** The resident memory each connection added, in bytes. */
  public long bytesEach() {
    return bytesEach;
  }

  /** How long opening them all took. */
  public long connectMillis() {
    return connectMillis;
  }

  /** The open connections, in the order they were made. */
  public List<Socket> sockets() {
    return sockets;
  }

  @Override
  public void close() throws IOException {
    closeAll(sockets);
  }

  private static void closeAll(List<Socket> sockets) throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
  }

  private static Socket connect(int port, String clientId, String user, String password) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(30_000);
    s.getOutputStream().write(connectPacket(clientId, user, password));
    return s;
  }

  /** CONNECT, MQTT 3.1.1, clean session, keep-alive 600 s; without credentials when {@code user} is null. */
  static byte[] connectPacket(String clientId, String user, String password) {
    MqttConnectMessage connect = MqttMessageBuilders.connect().clientId(clientId).protocolVersion(MqttVersion.MQTT_3_1_1)
        .cleanSession(true).keepAlive(600).hasUser(user != null).username(user).hasPassword(password != null)
        .password(password == null ? null : password.getBytes(StandardCharsets.UTF_8)).build();
    EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
    encoder.writeOutbound(connect);
    ByteBuf b = encoder.readOutbound();
    byte[] bytes = new byte[b.readableBytes()];
    b.readBytes(bytes);
    b.release();
    encoder.finishAndReleaseAll();
    return bytes;
  }

  private static void readConnAck(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    byte[] ack = in.readNBytes(4);
    if (ack.length != 4 || (ack[0] & 0xFF) != 0x20 || ack[3] != 0) {
      throw new IllegalStateException("no accepting CONNACK from the broker on port " + s.getPort());
    }
  }

  /** The resident memory of process {@code pid}, in KB. */
  public static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for process " + pid);
  }
}
