package io.edgewhisk.mqtt.it;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Loop prevention: the embedded broker bridges loop/# to a real Mosquitto over MQTT 5, and Mosquitto bridges loop/#
 * back to the embedded broker with a bridge of its own. Without a guard a message would go round for ever; with
 * the bridge's mark (a user property Mosquitto carries on) it comes back once and is dropped there, counted.
 */
class BridgeLoopIT {
  BridgeRig rig;

  @AfterEach
  void tearDown() throws Exception {
    if (rig != null) {
      rig.close();
    }
  }

  @Test
  void aMessageGoesOnceRoundALoopOfBridgesAndStops() throws Exception {
    rig = new BridgeRig(port -> "connection back\naddress 127.0.0.1:" + port + "\nbridge_protocol_version mqttv50\n"
        + "remote_username " + EmbeddedBroker.USER + "\nremote_password " + EmbeddedBroker.PASSWORD + "\n"
        + "remote_clientid mosquitto-back\ncleansession true\ntry_private false\nrestart_timeout 1\nnotifications false\n"
        + "topic loop/# out 1\n", false);
    // the appliance first, so that Mosquitto's bridge finds it at its first attempt
    rig.startAppliance("  mqtt-version = \"5\"\n  forward = [{ direction = out, topic = \"loop/#\", qos = 1 }]\n",
        rig.mosquitto.port(), List.of());
    rig.mosquitto.start();
    rig.awaitState(s -> s.getBoolean("connected"), Duration.ofSeconds(30));
    MqttClient cloudSub = rig.remote("cloud-sub", true);
    BridgeRig.Inbox cloud = BridgeRig.Inbox.on(cloudSub);
    cloudSub.subscribe("loop/#", 1);
    MqttClient localSub = rig.local("local-sub", true);
    BridgeRig.Inbox local = BridgeRig.Inbox.on(localSub);
    localSub.subscribe("loop/#", 1);
    // Mosquitto's own bridge connects to the appliance on its own schedule (local-sub is the other client)
    BridgeRig.eventually("Mosquitto's bridge back connected", Duration.ofSeconds(90),
        () -> rig.metric("edgewhisk_mqtt_clients_connected") >= 2);

    MqttClient sensor = rig.local("sensor", true);
    sensor.publish("loop/x", "once".getBytes(), 1, false);
    BridgeRig.eventually("back at the appliance and dropped", Duration.ofSeconds(20),
        () -> rig.metric("edgewhisk_mqtt_dropped_loop_total") >= 1);
    Thread.sleep(3000); // a loop would keep going: give it time to show
    assertEquals(List.of("loop/x=once"), cloud.all, "Mosquitto saw the message once");
    assertEquals(List.of("loop/x=once"), local.all, "the appliance delivered it once");
    assertEquals(1.0, rig.metric("edgewhisk_mqtt_dropped_loop_total"));
    assertEquals(1.0, rig.metric("edgewhisk_mqtt_bridge_messages_sent_total{bridge=\"m\"}"));
  }
}
