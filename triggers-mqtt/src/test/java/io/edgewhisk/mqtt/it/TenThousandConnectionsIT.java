package io.edgewhisk.mqtt.it;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 10,000 concurrent MQTT connections on one real appliance (the clients in this JVM, the broker in a child
 * process with the launcher's JVM flags, so each side has its own file limit); the broker keeps serving, and the
 * resident memory they add stays within issue 9's bound of 10 KB a connection (about 3.5 KB when measured).
 */
class TenThousandConnectionsIT {
  static final int COUNT = 10_000;
  static final long MAX_BYTES_PER_CONNECTION = 10 * 1024;

  static byte[] connectPacket(String clientId) {
    EmbeddedChannel ch = new EmbeddedChannel(MqttEncoder.INSTANCE);
    ch.writeOutbound(MqttMessageBuilders.connect().clientId(clientId).protocolVersion(MqttVersion.MQTT_3_1_1)
        .cleanSession(true).keepAlive(600).hasUser(true).username(EmbeddedBroker.USER).hasPassword(true)
        .password(EmbeddedBroker.PASSWORD.getBytes(StandardCharsets.UTF_8)).build());
    ByteBuf b = ch.readOutbound();
    byte[] bytes = new byte[b.readableBytes()];
    b.readBytes(bytes);
    b.release();
    ch.finishAndReleaseAll();
    return bytes;
  }

  static long rssKb(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS");
  }

  @Test
  void tenThousandConcurrentConnections() throws Exception {
    Path state = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "tenk-state");
    int port = ChildAppliance.freePort();
    List<Socket> sockets = new ArrayList<>(COUNT);
    try (ChildAppliance appliance = ChildAppliance.start(state, port, ChildAppliance.launcherFlags())) {
      // one connection first, so the password check is cached and the JIT warm, then measure the rest
      try (Socket warm = new Socket("127.0.0.1", port)) {
        warm.getOutputStream().write(connectPacket("warm"));
        assertEquals(0x20, warm.getInputStream().read());
      }
      Thread.sleep(2000);
      System.gc();
      long before = rssKb(appliance.pid());
      long t0 = System.nanoTime();
      for (int i = 0; i < COUNT; i++) {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(30_000);
        s.getOutputStream().write(connectPacket("c" + i));
        sockets.add(s);
        if (i % 500 == 499) {
          drainConnAcks(sockets, i - 499, i + 1);
        }
      }
      long connectMs = (System.nanoTime() - t0) / 1_000_000;
      Thread.sleep(3000);
      long after = rssKb(appliance.pid());
      long perConnection = (after - before) * 1024 / COUNT;
      System.out.printf("10,000 connections: connected in %d ms; resident memory %d MB -> %d MB, %d bytes each%n",
          connectMs, before / 1024, after / 1024, perConnection);
      Files.writeString(Path.of("target", "tenk-connections.txt"), String.format(
          "connect_ms=%d rss_before_kb=%d rss_after_kb=%d bytes_per_connection=%d%n", connectMs, before, after,
          perConnection));
      assertTrue(perConnection <= MAX_BYTES_PER_CONNECTION, "10,000 idle connections added " + perConnection
          + " bytes of resident memory each, over " + MAX_BYTES_PER_CONNECTION);
      // the broker still serves a normal client, and every connection is still open
      try (V5Client sub = V5Client.connect(appliance.mqttUrl(), "tenk-sub");
           V5Client pub = V5Client.connect(appliance.mqttUrl(), "tenk-pub")) {
        sub.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription("tenk/x", 1), null);
        pub.publish("tenk/x", "ok", 1, false);
        assertEquals("ok", sub.next().payload());
      }
      for (Socket s : sockets) {
        s.setSoTimeout(1);
        try {
          assertNotEquals(-1, s.getInputStream().read(), "a connection was closed");
        } catch (java.net.SocketTimeoutException open) {
          // still open, nothing to read: as it should be
        }
      }
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
      try (var files = Files.walk(state)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void drainConnAcks(List<Socket> sockets, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      InputStream in = sockets.get(i).getInputStream();
      byte[] ack = in.readNBytes(4);
      assertEquals(4, ack.length, "CONNACK for connection " + i);
      assertEquals(0x20, ack[0] & 0xFF);
      assertEquals(0, ack[3], "accepted");
    }
  }
}
