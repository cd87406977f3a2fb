package io.edgewhisk.mqtt.it;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A bridge from the real appliance's embedded broker to a real Mosquitto: messages both ways with prefix
 * remapping (MQTT 3.1.1 and 5 links), the bridge's state in $SYS, /metrics and /health as the link goes down and
 * comes back, and a silent link (Mosquitto frozen with SIGSTOP) found by keep-alive.
 */
class BridgeIT {
  static final String RULES = "  forward = [\n"
      + "    { direction = out, topic = \"sensors/#\", remote-prefix = \"site1/\", qos = 1 }\n"
      + "    { direction = in, topic = \"cmd/#\", remote-prefix = \"hq/site1/\", local-prefix = \"act/\", qos = 1 }\n"
      + "  ]\n";
  BridgeRig rig;

  @AfterEach
  void tearDown() throws Exception {
    if (rig != null) {
      rig.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"3.1.1", "5"})
  void messagesGoBothWaysWithTheirPrefixesRemapped(String version) throws Exception {
    rig = new BridgeRig("", true);
    rig.startAppliance(RULES + "  mqtt-version = \"" + version + "\"\n", rig.mosquitto.port(), List.of());
    rig.awaitState(s -> s.getBoolean("connected"), Duration.ofSeconds(30));

    MqttClient cloudSub = rig.remote("cloud-sub", true);
    BridgeRig.Inbox cloud = BridgeRig.Inbox.on(cloudSub);
    cloudSub.subscribe("site1/#", 1);
    MqttClient actuator = rig.local("actuator", true);
    BridgeRig.Inbox act = BridgeRig.Inbox.on(actuator);
    actuator.subscribe("act/#", 1);

    MqttClient sensor = rig.local("sensor", true);
    sensor.publish("sensors/s1/temp", "21.5".getBytes(), 1, false);
    sensor.publish("elsewhere/x", "not forwarded".getBytes(), 1, false);
    BridgeRig.eventually("the sensor's message at Mosquitto", Duration.ofSeconds(20),
        () -> cloud.all.contains("site1/sensors/s1/temp=21.5"));

    MqttClient hq = rig.remote("hq", true);
    // the in rule's subscription is made right after the link came up: publish until it is there
    BridgeRig.eventually("the command at the actuator", Duration.ofSeconds(20), () -> {
      if (act.all.isEmpty()) {
        hq.publish("hq/site1/cmd/fan", "on".getBytes(), 1, false);
        Thread.sleep(200);
      }
      return !act.all.isEmpty();
    });
    assertEquals("act/cmd/fan=on", act.all.get(0));
    hq.publish("hq/site2/cmd/fan", "not ours".getBytes(), 1, false);
    hq.publish("hq/site1/cmd/pump", "off".getBytes(), 1, false);
    BridgeRig.eventually("the second command", Duration.ofSeconds(20), () -> act.all.contains("act/cmd/pump=off"));
    Thread.sleep(300);
    assertEquals(List.of("site1/sensors/s1/temp=21.5"), cloud.all, "only the out rule's topics go to Mosquitto");
    assertTrue(act.all.stream().allMatch(m -> m.startsWith("act/cmd/fan=on") || m.equals("act/cmd/pump=off")), act.all::toString);
    assertTrue(rig.metric("edgewhisk_mqtt_bridge_messages_sent_total{bridge=\"m\"}") >= 1);
    assertTrue(rig.metric("edgewhisk_mqtt_bridge_messages_received_total{bridge=\"m\"}") >= 2);
  }

  @Test
  void theStateIsInSysMetricsAndHealthAndASilentLinkIsFoundByKeepAlive() throws Exception {
    rig = new BridgeRig("", true);
    rig.startAppliance(RULES + "  keep-alive = 2s\n", rig.mosquitto.port(), List.of());
    JsonObject up = rig.awaitState(s -> s.getBoolean("connected"), Duration.ofSeconds(30));
    assertEquals("connected", up.getString("state"));
    assertEquals(0, up.getLong("backlog"));
    assertEquals(1.0, rig.metric("edgewhisk_mqtt_bridge_connected{bridge=\"m\"}"));
    assertTrue(rig.get("/health").contains("mqtt.bridge-m"), "a health component of the bridge");

    rig.mosquitto.stop();
    JsonObject down = rig.awaitState(s -> !s.getBoolean("connected") && s.getString("lastError") != null,
        Duration.ofSeconds(30));
    assertNotNull(down.getString("lastError"));
    MqttClient sensor = rig.local("sensor", true);
    for (int i = 0; i < 3; i++) {
      sensor.publish("sensors/a", ("m" + i).getBytes(), 1, false);
    }
    BridgeRig.eventually("the backlog in /metrics", Duration.ofSeconds(10),
        () -> rig.metric("edgewhisk_mqtt_bridge_backlog{bridge=\"m\"}") == 3.0);
    assertEquals(0.0, rig.metric("edgewhisk_mqtt_bridge_connected{bridge=\"m\"}"));
    String health = rig.get("/health");
    assertTrue(health.contains("bridge m is not connected") && health.contains("3 messages wait in its outbox"), health);
    // the periodic $SYS publication carries the backlog too (sys-interval 1s in this test's appliance)
    rig.awaitState(s -> s.getLong("backlog") == 3, Duration.ofSeconds(20));

    rig.mosquitto.start();
    rig.awaitState(s -> s.getBoolean("connected") && s.getLong("backlog") == 0, Duration.ofSeconds(30));

    // frozen: the TCP connection stays open and nothing answers; keep-alive (2 s) must notice
    long frozenAt = System.nanoTime();
    rig.mosquitto.freeze(true);
    try {
      rig.awaitState(s -> !s.getBoolean("connected"), Duration.ofSeconds(20));
      long seconds = (System.nanoTime() - frozenAt) / 1_000_000_000L;
      assertTrue(seconds <= 12, "found after " + seconds + " s");
    } finally {
      rig.mosquitto.freeze(false);
    }
    rig.awaitState(s -> s.getBoolean("connected"), Duration.ofSeconds(30));
  }

  @Test
  void aMessageTheRemoteBrokerCannotTakeIsSkippedAndCountedNotResentForEver() throws Exception {
    rig = new BridgeRig("max_packet_size 1000", true);
    rig.startAppliance(RULES + "  mqtt-version = \"5\"\n", rig.mosquitto.port(), List.of());
    rig.awaitState(s -> s.getBoolean("connected"), Duration.ofSeconds(30));
    MqttClient cloudSub = rig.remote("cloud-sub", false);
    BridgeRig.Inbox cloud = BridgeRig.Inbox.on(cloudSub);
    cloudSub.subscribe("site1/#", 1);
    rig.mosquitto.stop(); // so that the three wait in the outbox and go out together, in flight at once
    rig.awaitState(s -> !s.getBoolean("connected"), Duration.ofSeconds(20));
    MqttClient sensor = rig.local("sensor", true);
    sensor.publish("sensors/small", "before".getBytes(), 1, false);
    sensor.publish("sensors/big", new byte[4000], 1, false);
    sensor.publish("sensors/small", "after".getBytes(), 1, false);
    rig.mosquitto.start();
    BridgeRig.eventually("the small ones around the big one", Duration.ofSeconds(30),
        () -> cloud.all.contains("site1/sensors/small=after"));
    assertEquals(List.of("site1/sensors/small=before", "site1/sensors/small=after"), cloud.all);
    assertEquals(1.0, rig.metric("edgewhisk_mqtt_bridge_dropped_total{bridge=\"m\",reason=\"refused\"}"));
    rig.awaitState(s -> s.getBoolean("connected") && s.getLong("backlog") == 0, Duration.ofSeconds(20));
  }
}
