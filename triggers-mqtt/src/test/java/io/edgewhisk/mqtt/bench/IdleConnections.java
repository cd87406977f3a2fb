package io.edgewhisk.mqtt.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What idle MQTT connections cost a broker in resident memory: opens them one by one (anonymous MQTT 3.1.1
 * CONNECTs, their CONNACKs read every 500), waits 3 s, and divides the broker process's growth in RSS by their
 * number. One connection first, so that what a first client loads or caches is not counted.
 */
final class IdleConnections {
  private static final int BATCH = 500;

  private IdleConnections() {}

  /** The resident memory each of {@code count} idle connections adds to the broker on {@code port} (process pid). */
  static long bytesEach(int port, long pid, int count) throws Exception {
    try (Socket warm = connect(port, "idle-warm")) {
      readConnAck(warm);
    }
    Thread.sleep(1000);
    long before = rssKb(pid);
    List<Socket> sockets = new ArrayList<>(count);
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(connect(port, "idle-" + i));
        if (sockets.size() % BATCH == 0 || i == count - 1) {
          for (Socket s : sockets.subList((sockets.size() - 1) / BATCH * BATCH, sockets.size())) {
            readConnAck(s);
          }
        }
      }
      Thread.sleep(3000);
      return (rssKb(pid) - before) * 1024 / count;
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  private static Socket connect(int port, String clientId) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(30_000);
    s.getOutputStream().write(connectPacket(clientId));
    return s;
  }

  /** CONNECT, MQTT 3.1.1, clean session, keep-alive 600 s, no credentials. */
  static byte[] connectPacket(String clientId) {
    byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    byte[] variable = {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0x02, 0x58};
    int remaining = variable.length + 2 + id.length;
    byte[] packet = new byte[2 + remaining];
    packet[0] = 0x10;
    packet[1] = (byte) remaining;
    System.arraycopy(variable, 0, packet, 2, variable.length);
    packet[2 + variable.length] = (byte) (id.length >> 8);
    packet[3 + variable.length] = (byte) id.length;
    System.arraycopy(id, 0, packet, 4 + variable.length, id.length);
    return packet;
  }

  private static void readConnAck(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    byte[] ack = in.readNBytes(4);
    if (ack.length != 4 || (ack[0] & 0xFF) != 0x20 || ack[3] != 0) {
      throw new IllegalStateException("no accepting CONNACK from the broker on port " + s.getPort());
    }
  }

  static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for process " + pid);
  }
}
