package io.edgewhisk.mqtt.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Debian's mosquitto_pub and mosquitto_sub against the embedded broker, MQTT 3.1.1 and 5. */
class MosquittoClientsIT {
  static EmbeddedBroker broker;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start(Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
  }

  record Result(int exit, String out, String err) {}

  static Process start(List<String> args) throws Exception {
    return new ProcessBuilder(args).start();
  }

  static Result finish(Process p) throws Exception {
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("timed out: " + p.info().commandLine().orElse("?"));
    }
    return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  List<String> base(String tool, String version) {
    List<String> a = new ArrayList<>(List.of(tool, "-h", "127.0.0.1", "-p", Integer.toString(broker.port()),
        "-u", EmbeddedBroker.USER, "-P", EmbeddedBroker.PASSWORD, "-V", version));
    return a;
  }

  void roundTrip(String version) throws Exception {
    List<String> sub = base("mosquitto_sub", version);
    sub.addAll(List.of("-t", "mc/" + version + "/#", "-q", "2", "-C", "3", "-v", "-W", "30", "-i", "sub-" + version));
    if (version.equals("mqttv5")) {
      sub.addAll(List.of("-F", "%t %p %q %P"));
    }
    Process s = start(sub);
    awaitSubscribed("sub-" + version);
    for (int qos = 0; qos <= 2; qos++) {
      List<String> pub = base("mosquitto_pub", version);
      pub.addAll(List.of("-t", "mc/" + version + "/" + qos, "-m", "hello" + qos, "-q", Integer.toString(qos)));
      if (version.equals("mqttv5")) {
        pub.addAll(List.of("-D", "publish", "user-property", "sensor", "s" + qos));
      }
      Result r = finish(start(pub));
      assertEquals(0, r.exit(), r.err());
    }
    Result got = finish(s);
    assertEquals(0, got.exit(), got.err());
    String[] lines = got.out().strip().split("\n");
    assertEquals(3, lines.length, got.out());
    for (int qos = 0; qos <= 2; qos++) {
      String expected = version.equals("mqttv5") ? "mc/mqttv5/" + qos + " hello" + qos + " " + qos + " sensor:s" + qos
          : "mc/" + version + "/" + qos + " hello" + qos;
      assertEquals(expected, lines[qos], got.out());
    }
  }

  static void awaitSubscribed(String clientId) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (broker.onLoop(() -> broker.verticle.broker().session(clientId) != null
          && broker.verticle.broker().session(clientId).subscriptionCount() > 0)) {
        return;
      }
      Thread.sleep(50);
    }
    fail(clientId + " did not subscribe");
  }

  @Test
  void publishAndSubscribeWithMqtt311() throws Exception {
    roundTrip("mqttv311");
  }

  @Test
  void publishAndSubscribeWithMqtt5AndUserProperties() throws Exception {
    roundTrip("mqttv5");
  }

  @Test
  void userPropertiesFromMosquittoPubReachPaho() throws Exception {
    try (V5Client sub = V5Client.connect(broker.tcpUrl(), "paho-up")) {
      sub.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription("up/#", 1), null);
      List<String> pub = base("mosquitto_pub", "mqttv5");
      pub.addAll(List.of("-t", "up/x", "-m", "m", "-q", "1", "-D", "publish", "user-property", "k", "v"));
      assertEquals(0, finish(start(pub)).exit());
      var props = sub.next().message().getProperties().getUserProperties();
      assertEquals(List.of("k=v"), props.stream().map(u -> u.getKey() + "=" + u.getValue()).toList());
    }
  }

  @Test
  void retainedMessageForALateSubscriber() throws Exception {
    List<String> pub = base("mosquitto_pub", "mqttv311");
    pub.addAll(List.of("-t", "mc/retained", "-m", "kept", "-q", "1", "-r"));
    assertEquals(0, finish(start(pub)).exit());
    List<String> sub = base("mosquitto_sub", "mqttv311");
    sub.addAll(List.of("-t", "mc/retained", "-C", "1", "-W", "10"));
    assertEquals("kept", finish(start(sub)).out().strip());
  }

  @Test
  void aWrongPasswordIsRefused() throws Exception {
    List<String> pub = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()),
        "-u", EmbeddedBroker.USER, "-P", "wrong", "-t", "x", "-m", "y"));
    Result r = finish(start(pub));
    assertNotEquals(0, r.exit());
    assertTrue(r.err().toLowerCase().contains("not authorised") || r.err().toLowerCase().contains("bad user name"),
        r.err());
  }
}
