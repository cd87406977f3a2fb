package io.edgewhisk.mqtt.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A bridge over TLS (ssl://, the remote certificate checked against the configured CA file and its host) to a
 * Mosquitto that requires a user name and password: a wrong password file keeps the link down with the reason in
 * the bridge's state; the right one, written while the appliance runs, is read at the next attempt.
 */
class BridgeTlsIT {
  BridgeRig rig;
  Path certs;

  @AfterEach
  void tearDown() throws Exception {
    if (rig != null) {
      rig.close();
    }
    if (certs != null) {
      try (var files = Files.walk(certs)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
  }

  @Test
  void aBridgeOverTlsWithAPasswordFile() throws Exception {
    certs = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bridge-tls");
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", certs.resolve("key.pem").toString(),
        "-out", certs.resolve("cert.pem").toString());
    run("mosquitto_passwd", "-b", "-c", certs.resolve("passwd").toString(), "gw", "s3cret");
    int tlsPort = ChildAppliance.freePort();
    rig = new BridgeRig("allow_anonymous false\npassword_file " + certs.resolve("passwd") + "\n"
        + "listener " + tlsPort + " 127.0.0.1\ncertfile " + certs.resolve("cert.pem") + "\nkeyfile "
        + certs.resolve("key.pem") + "\n", true);
    Path password = certs.resolve("bridge.password");
    Files.writeString(password, "wrong\n");
    rig.startAppliance("  urls = [\"ssl://127.0.0.1:" + tlsPort + "\"]\n  username = gw\n  password-file = \""
        + password + "\"\n  tls.ca-file = \"" + certs.resolve("cert.pem") + "\"\n"
        + "  forward = [{ direction = out, topic = \"sensors/#\", remote-prefix = \"site1/\" }]\n",
        tlsPort, List.of());
    var refused = rig.awaitState(s -> !s.getBoolean("connected") && s.getString("lastError") != null,
        Duration.ofSeconds(30));
    assertTrue(refused.getString("lastError").toLowerCase().contains("authori"), refused::encode);

    Files.writeString(password, "s3cret\n");
    rig.awaitState(s -> s.getBoolean("connected"), Duration.ofSeconds(30));
    MqttClient cloudSub = new MqttClient(rig.mosquitto.url(), "cloud-sub", new MemoryPersistence());
    BridgeRig.Inbox cloud = BridgeRig.Inbox.on(cloudSub);
    MqttConnectOptions o = new MqttConnectOptions();
    o.setUserName("gw");
    o.setPassword("s3cret".toCharArray());
    cloudSub.connect(o);
    try {
      cloudSub.subscribe("site1/#", 1);
      MqttClient sensor = rig.local("sensor", true);
      sensor.publish("sensors/t", "over tls".getBytes(), 1, false);
      BridgeRig.eventually("the message at Mosquitto", Duration.ofSeconds(20),
          () -> cloud.all.contains("site1/sensors/t=over tls"));
    } finally {
      cloudSub.disconnect();
      cloudSub.close();
    }
  }
}
