package io.edgewhisk.mqtt.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The optional listeners: MQTT over TLS (mosquitto clients with a CA file) and over WebSocket (Paho, ws://…/mqtt). */
class ListenersIT {
  static EmbeddedBroker broker;
  static Path certs;

  @BeforeAll
  static void start() throws Exception {
    certs = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "tls");
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        "-keyout", certs.resolve("key.pem").toString(), "-out", certs.resolve("cert.pem").toString())
        .redirectErrorStream(true).start();
    assertTrue(openssl.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, openssl.exitValue(), new String(openssl.getInputStream().readAllBytes()));
    broker = EmbeddedBroker.start(Map.of("edgewhisk.mqtt.tls-certificate", certs.resolve("cert.pem").toString(),
        "edgewhisk.mqtt.tls-key", certs.resolve("key.pem").toString(), "edgewhisk.mqtt.tls-port", 0,
        "edgewhisk.mqtt.websocket-port", 0));
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
    try (var files = Files.walk(certs)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void mqttOverTls() throws Exception {
    int port = broker.verticle.server().tlsPort();
    Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(port),
        "--cafile", certs.resolve("cert.pem").toString(), "-u", EmbeddedBroker.USER, "-P", EmbeddedBroker.PASSWORD,
        "-t", "tls/x", "-C", "1", "-W", "20", "-i", "tls-sub").start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!broker.onLoop(() -> broker.verticle.broker().session("tls-sub") != null
        && broker.verticle.broker().session("tls-sub").subscriptionCount() > 0)) {
      assertTrue(System.nanoTime() < deadline, "the TLS subscriber did not subscribe: "
          + new String(sub.getErrorStream().readNBytes(sub.getErrorStream().available())));
      Thread.sleep(50);
    }
    Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port),
        "--cafile", certs.resolve("cert.pem").toString(), "-u", EmbeddedBroker.USER, "-P", EmbeddedBroker.PASSWORD,
        "-t", "tls/x", "-m", "secret", "-q", "1").start();
    assertTrue(pub.waitFor(20, TimeUnit.SECONDS));
    assertEquals(0, pub.exitValue(), new String(pub.getErrorStream().readAllBytes()));
    assertTrue(sub.waitFor(20, TimeUnit.SECONDS));
    assertEquals("secret", new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    // the plain port does not speak TLS and the TLS port refuses plain MQTT
    Process plain = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port),
        "-u", EmbeddedBroker.USER, "-P", EmbeddedBroker.PASSWORD, "-t", "tls/x", "-m", "x").start();
    assertTrue(plain.waitFor(20, TimeUnit.SECONDS));
    assertNotEquals(0, plain.exitValue());
  }

  @Test
  void mqttOverWebSocket() throws Exception {
    String url = "ws://127.0.0.1:" + broker.verticle.server().webSocketPort() + "/mqtt";
    // Paho gives the WebSocket handshake 1 s (its socket's read timeout); the first upgrade of a fresh broker
    // loads the WebSocket codec, which can take longer on a loaded machine. So a first upgrade, with time, also
    // checks that the broker agrees on the "mqtt" subprotocol.
    java.net.http.WebSocket first = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
        .subprotocols("mqtt").connectTimeout(java.time.Duration.ofSeconds(30))
        .buildAsync(java.net.URI.create(url), new java.net.http.WebSocket.Listener() { })
        .get(30, TimeUnit.SECONDS);
    assertEquals("mqtt", first.getSubprotocol());
    first.abort();
    var sub = new org.eclipse.paho.client.mqttv3.MqttClient(url, "ws-sub",
        new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
    var inbox = PahoV3IT.inbox(sub);
    sub.connect(PahoV3IT.options(true));
    sub.subscribe("ws/#", 2);
    try (V5Client pub = V5Client.connect(broker.tcpUrl(), "ws-pub")) {
      pub.publish("ws/a", "x".repeat(100_000), 2, false); // a packet larger than one frame's worth
      pub.publish("ws/b", "small", 1, false);
    }
    // Paho hands a QoS 2 message over at PUBREL, so the QoS 1 one may come first
    java.util.Set<Integer> sizes = new java.util.HashSet<>();
    sizes.add(PahoV3IT.next(inbox).payload().length());
    sizes.add(PahoV3IT.next(inbox).payload().length());
    assertEquals(java.util.Set.of(100_000, 5), sizes);
    sub.publish("ws/c", "from ws".getBytes(), 1, false);
    assertEquals("from ws", PahoV3IT.next(inbox).payload());
    sub.disconnect();
  }
}
