package io.edgewhisk.mqtt.it;

import static org.junit.jupiter.api.Assertions.*;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * 10,000 concurrent MQTT connections on one real appliance (the clients in this JVM, the broker in a child
 * process with the launcher's JVM flags, so each side has its own file limit); the broker keeps serving, and the
 * resident memory they add stays within issue 9's bound of 10 KB a connection (about 3.5 KB when measured).
 */
class TenThousandConnectionsIT {
  static final int COUNT = 10_000;
  static final long MAX_BYTES_PER_CONNECTION = 10 * 1024;

  @Test
  void tenThousandConcurrentConnections() throws Exception {
    Path state = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "tenk-state");
    int port = ChildAppliance.freePort();
    try (ChildAppliance appliance = ChildAppliance.start(state, port, ChildAppliance.launcherFlags());
        IdleConnections idle = IdleConnections.open(port, appliance.pid(), COUNT, EmbeddedBroker.USER,
            EmbeddedBroker.PASSWORD)) {
      long perConnection = idle.bytesEach();
      System.out.printf("10,000 connections: connected in %d ms; resident memory %d bytes each%n",
          idle.connectMillis(), perConnection);
      Files.writeString(Path.of("target", "tenk-connections.txt"), String.format(
          "connect_ms=%d bytes_per_connection=%d%n", idle.connectMillis(), perConnection));
      assertTrue(perConnection <= MAX_BYTES_PER_CONNECTION, "10,000 idle connections added " + perConnection
          + " bytes of resident memory each, over " + MAX_BYTES_PER_CONNECTION);
      // the broker still serves a normal client, and every connection is still open
      try (V5Client sub = V5Client.connect(appliance.mqttUrl(), "tenk-sub");
           V5Client pub = V5Client.connect(appliance.mqttUrl(), "tenk-pub")) {
        sub.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription("tenk/x", 1), null);
        pub.publish("tenk/x", "ok", 1, false);
        assertEquals("ok", sub.next().payload());
      }
      for (Socket s : idle.sockets()) {
        s.setSoTimeout(1);
        try {
          assertNotEquals(-1, s.getInputStream().read(), "a connection was closed");
        } catch (java.net.SocketTimeoutException open) {
          // still open, nothing to read: as it should be
        }
      }
    } finally {
      try (var files = Files.walk(state)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
