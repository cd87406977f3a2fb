package io.edgewhisk.mqtt.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the broker acknowledged survives SIGKILL of the real appliance: a persistent session's subscriptions,
 * the QoS 1 messages queued for it, a message in flight to it (resent with DUP), and retained messages.
 */
class BrokerCrashIT {
  Path state;

  @BeforeEach
  void setUp() throws Exception {
    state = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "crash-state");
  }

  @AfterEach
  void tearDown() throws Exception {
    try (var files = Files.walk(state)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static MqttConnectOptions options(boolean clean) {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setUserName(EmbeddedBroker.USER);
    o.setPassword(EmbeddedBroker.PASSWORD.toCharArray());
    o.setCleanSession(clean);
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    return o;
  }

  record Got(String payload, boolean dup, int id) {}

  static BlockingQueue<Got> inbox(MqttClient c) {
    BlockingQueue<Got> q = new LinkedBlockingQueue<>();
    c.setCallback(new MqttCallback() {
      public void connectionLost(Throwable cause) { }
      public void messageArrived(String topic, MqttMessage m) {
        q.add(new Got(new String(m.getPayload()), m.isDuplicate(), m.getId()));
      }
      public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken t) { }
    });
    return q;
  }

  @Test
  void acknowledgedStateSurvivesSigkill() throws Exception {
    int port = ChildAppliance.freePort();
    int count = 200;
    try (ChildAppliance first = ChildAppliance.start(state, port, List.of())) {
      MqttClient sub = new MqttClient(first.mqttUrl(), "crash-sub", new MemoryPersistence());
      sub.connect(options(false));
      sub.subscribe("crash/#", 1);
      sub.disconnect();
      sub.close();

      MqttClient inflight = new MqttClient(first.mqttUrl(), "crash-inflight", new MemoryPersistence());
      inflight.setManualAcks(true);
      BlockingQueue<Got> held = inbox(inflight);
      inflight.connect(options(false));
      inflight.subscribe("held/#", 1);

      MqttClient pub = new MqttClient(first.mqttUrl(), "crash-pub", new MemoryPersistence());
      pub.connect(options(true));
      for (int i = 0; i < count; i++) {
        pub.publish("crash/t", ("m" + i).getBytes(), 1, false); // returns once PUBACK'd
      }
      pub.publish("crash/retained", "kept".getBytes(), 1, true);
      pub.publish("held/x", "never acked".getBytes(), 1, false);
      assertEquals("never acked", held.poll(10, TimeUnit.SECONDS).payload()); // received, not PUBACK'd
      first.kill();
      forget(pub);
      forget(inflight);
    }

    try (ChildAppliance second = ChildAppliance.start(state, port, List.of())) {
      MqttClient back = new MqttClient(second.mqttUrl(), "crash-sub", new MemoryPersistence());
      BlockingQueue<Got> in = inbox(back);
      assertTrue(back.connectWithResult(options(false)).getSessionPresent(), "the session survived");
      List<String> got = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Got g = in.poll(20, TimeUnit.SECONDS);
        assertNotNull(g, "message " + i + " of " + count + " lost; got " + got.size());
        got.add(g.payload());
      }
      for (int i = 0; i < count; i++) {
        assertEquals("m" + i, got.get(i), "in order");
      }
      back.disconnect();

      MqttClient held = new MqttClient(second.mqttUrl(), "crash-inflight", new MemoryPersistence());
      BlockingQueue<Got> again = inbox(held);
      held.connect(options(false));
      Got resent = again.poll(20, TimeUnit.SECONDS);
      assertNotNull(resent, "the in-flight message came back");
      assertEquals("never acked", resent.payload());
      assertTrue(resent.dup(), "resent with DUP");
      held.disconnect();

      MqttClient late = new MqttClient(second.mqttUrl(), "crash-late", new MemoryPersistence());
      BlockingQueue<Got> ret = inbox(late);
      late.connect(options(true));
      late.subscribe("crash/retained", 1);
      assertEquals("kept", ret.poll(10, TimeUnit.SECONDS).payload());
      late.disconnect();
    }
  }

  /**
   * Lets go of a client whose broker was just killed: Paho may not have seen the connection end yet, and then
   * refuses to close a client it thinks is connected ("Client is connected"), so it is disconnected by force first.
   */
  private static void forget(MqttClient client) {
    try {
      client.disconnectForcibly(0, 0, false);
    } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
      // already disconnected: nothing to end
    }
    try {
      client.close(true);
    } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
      throw new AssertionError("the client did not close after its broker was killed", e);
    }
  }
}
