package io.edgewhisk.mqtt.it;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Store and forward through outages of the real Mosquitto and of the appliance itself: nothing acknowledged is
 * lost and order per publisher holds; into the embedded broker nothing arrives twice, towards the remote broker
 * only a message the bridge counts as sent again can (QoS 1 cannot tell a resend from a new message); the
 * outbox's bound drops the newest and counts them.
 */
class BridgeOutageIT {
  BridgeRig rig;

  @AfterEach
  void tearDown() throws Exception {
    if (rig != null) {
      rig.close();
    }
  }

  static List<String> numbers(int n) {
    return IntStream.range(0, n).mapToObj(Integer::toString).toList();
  }

  /** A persistent session at Mosquitto that collects site1/# at QoS 1, disconnected (Mosquitto queues for it). */
  void cloudSession() throws Exception {
    MqttClient c = rig.remote("cloud-sub", false);
    c.subscribe("site1/#", 1);
    c.disconnect();
    c.close();
  }

  @Test
  void mosquittoStopsWhileBothSidesPublishAtQos1AndEveryMessageArrivesOnceInOrder() throws Exception {
    rig = new BridgeRig("", true);
    rig.startAppliance(BridgeIT.RULES, rig.mosquitto.port(), List.of());
    rig.awaitState(s -> s.getBoolean("connected"), Duration.ofSeconds(30));
    MqttClient cloudSub = rig.remote("cloud-sub", false);
    BridgeRig.Inbox cloud = BridgeRig.Inbox.on(cloudSub);
    cloudSub.subscribe("site1/#", 1);
    MqttClient actuator = rig.local("actuator", false);
    BridgeRig.Inbox act = BridgeRig.Inbox.on(actuator);
    actuator.subscribe("act/#", 1);
    // a clean session: a QoS 1 message in flight when Mosquitto stops fails (and is sent again by the loop below,
    // recorded as ambiguous) instead of being resent by Paho behind the test's back
    MqttClient hq = rig.remote("hq", true);
    BridgeRig.eventually("the in rule's subscription at Mosquitto", Duration.ofSeconds(20), () -> {
      hq.publish("hq/site1/cmd/probe", "p".getBytes(), 1, false);
      Thread.sleep(200);
      return !act.of("act/cmd/probe").isEmpty();
    });

    int n = 400;
    MqttClient sensor = rig.local("sensor", false);
    Set<String> ambiguous = ConcurrentHashMap.newKeySet();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread local = publisher(() -> {
      for (int i = 0; i < n; i++) {
        sensor.publish("sensors/s1", Integer.toString(i).getBytes(), 1, false);
        Thread.sleep(10);
      }
    }, failed);
    Thread remote = publisher(() -> {
      for (int i = 0; i < n; i++) {
        while (true) {
          try {
            hq.publish("hq/site1/cmd/seq", Integer.toString(i).getBytes(), 1, false);
            break;
          } catch (MqttException e) {
            if (e.getReasonCode() != MqttException.REASON_CODE_CLIENT_NOT_CONNECTED) {
              ambiguous.add(Integer.toString(i)); // sent, then the connection went: the test's own client may repeat it
            }
            Thread.sleep(100);
          }
        }
        Thread.sleep(10);
      }
    }, failed);
    Thread.sleep(1500);
    rig.mosquitto.stop();
    rig.awaitState(s -> !s.getBoolean("connected"), Duration.ofSeconds(20));
    Thread.sleep(2000);
    rig.mosquitto.start();
    local.join(120_000);
    remote.join(120_000);
    assertNull(failed.get(), () -> "a publisher failed: " + failed.get());

    BridgeRig.eventually("all of the sensor's messages at Mosquitto", Duration.ofSeconds(60),
        () -> firstCopies(cloud.of("site1/sensors/s1")).size() >= n);
    BridgeRig.eventually("all of hq's messages at the actuator", Duration.ofSeconds(60),
        () -> firstCopies(act.of("act/cmd/seq")).size() >= n);
    JsonObject state = rig.awaitState(s -> s.getBoolean("connected") && s.getLong("backlog") == 0
        && s.getLong("connects") >= 2, Duration.ofSeconds(30));
    Thread.sleep(1000); // anything that would still come twice
    state = rig.awaitState(s -> s.getBoolean("connected"), Duration.ofSeconds(30));

    // Out (the embedded broker -> the bridge -> Mosquitto): at least once, in order. What reaches the test's
    // subscriber twice is either Mosquitto's own redelivery to it (flagged DUP: its PUBACK was cut by the stop;
    // Mosquitto's QoS 1 towards its client, not the bridge's doing) or a message the bridge sent again on the
    // new link because the old one went before Mosquitto's PUBACK came: counted in "resent", and only those.
    List<String> atCloud = new ArrayList<>(cloud.of("site1/sensors/s1"));
    for (String dup : cloud.dups) {
      String p = dup.substring(dup.indexOf('=') + 1);
      int first = atCloud.indexOf(p);
      int again = atCloud.lastIndexOf(p);
      if (first >= 0 && again > first) {
        atCloud.remove(again);
      }
    }
    String seen = "at Mosquitto's subscriber " + cloud.of("site1/sensors/s1") + ", DUP-flagged " + cloud.dups
        + ", bridge state " + state.encode();
    assertEquals(numbers(n), firstCopies(atCloud), "every message of the sensor, in order: " + seen);
    long repeats = atCloud.size() - firstCopies(atCloud).size();
    System.out.printf("Outage: at Mosquitto's subscriber %d repeats of the bridge (resent %d), %d of Mosquitto's"
        + " own (DUP); into the embedded broker %d resends recognised, %d repeated by the test's publisher%n",
        repeats, state.getLong("resent"), cloud.dups.size(), state.getLong("duplicatesIgnored"), ambiguous.size());
    assertTrue(repeats <= state.getLong("resent"), "a message arrived twice that the bridge did not send again: " + seen);

    // In (Mosquitto -> the bridge -> the embedded broker): each once, in order. The bridge recognises Mosquitto's
    // resends of what it had taken; the only repeats allowed are those of the test's own remote publisher, which
    // sends a message again when its connection went before the PUBACK (it cannot know whether Mosquitto had it).
    List<String> commands = new ArrayList<>(act.of("act/cmd/seq"));
    for (String twice : ambiguous) {
      int first = commands.indexOf(twice);
      int again = commands.lastIndexOf(twice);
      if (first >= 0 && again > first) {
        commands.remove(again);
      }
    }
    assertEquals(numbers(n), commands, "Mosquitto's messages into the embedded broker: each once, in order"
        + " (repeated by the test's publisher: " + ambiguous + "; at the actuator " + act.of("act/cmd/seq")
        + "; bridge state " + state.encode() + ")");
  }

  /** The list without repeats, each at its first place. */
  static List<String> firstCopies(List<String> all) {
    return new ArrayList<>(new LinkedHashSet<>(all));
  }

  static Thread publisher(Work work, AtomicReference<Throwable> failed) {
    Thread t = new Thread(() -> {
      try {
        work.run();
      } catch (Throwable e) {
        failed.compareAndSet(null, e);
      }
    });
    t.start();
    return t;
  }

  interface Work {
    void run() throws Exception;
  }

  @Test
  void aFullOutboxDropsTheNewestAndCountsThem() throws Exception {
    rig = new BridgeRig("", true);
    rig.startAppliance(BridgeIT.RULES + "  max-outbox-messages = 5\n", rig.mosquitto.port(), List.of());
    rig.awaitState(s -> s.getBoolean("connected"), Duration.ofSeconds(30));
    cloudSession();
    rig.mosquitto.stop();
    rig.awaitState(s -> !s.getBoolean("connected"), Duration.ofSeconds(20));
    MqttClient sensor = rig.local("sensor", true);
    for (int i = 0; i < 8; i++) {
      sensor.publish("sensors/s1", Integer.toString(i).getBytes(), 1, false); // each acknowledged
    }
    BridgeRig.eventually("drops counted", Duration.ofSeconds(10),
        () -> rig.metric("edgewhisk_mqtt_bridge_dropped_total{bridge=\"m\",reason=\"outbox_full\"}") == 3.0);
    assertEquals(5.0, rig.metric("edgewhisk_mqtt_bridge_backlog{bridge=\"m\"}"));
    rig.awaitState(s -> s.getJsonObject("dropped").getLong("outboxFull") == 3 && s.getLong("backlog") == 5,
        Duration.ofSeconds(20));

    rig.mosquitto.start();
    MqttClient cloudSub = new MqttClient(rig.mosquitto.url(), "cloud-sub",
        new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
    BridgeRig.Inbox cloud = BridgeRig.Inbox.on(cloudSub);
    org.eclipse.paho.client.mqttv3.MqttConnectOptions o = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
    o.setCleanSession(false);
    cloudSub.connect(o);
    try {
      BridgeRig.eventually("the five kept", Duration.ofSeconds(30), () -> cloud.of("site1/sensors/s1").size() >= 5);
      Thread.sleep(1000);
      assertEquals(numbers(5), cloud.of("site1/sensors/s1"));
    } finally {
      cloudSub.disconnect();
      cloudSub.close();
    }
  }

  @Test
  void outboxedMessagesNotYetAcknowledgedAreDeliveredAfterASigkill() throws Exception {
    rig = new BridgeRig("", true);
    rig.startAppliance(BridgeIT.RULES, rig.mosquitto.port(), List.of());
    rig.awaitState(s -> s.getBoolean("connected"), Duration.ofSeconds(30));
    cloudSession();
    rig.mosquitto.stop();
    rig.awaitState(s -> !s.getBoolean("connected"), Duration.ofSeconds(20));
    MqttClient sensor = rig.local("sensor", true);
    int n = 50;
    for (int i = 0; i < n; i++) {
      sensor.publish("sensors/s1", Integer.toString(i).getBytes(), 1, false); // PUBACK: durable in the outbox
    }
    sensor.disconnectForcibly(100, 100);
    rig.appliance.kill();

    rig.mosquitto.start();
    rig.startAppliance(BridgeIT.RULES, rig.mosquitto.port(), List.of());
    MqttClient cloudSub = new MqttClient(rig.mosquitto.url(), "cloud-sub",
        new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
    BridgeRig.Inbox cloud = BridgeRig.Inbox.on(cloudSub);
    org.eclipse.paho.client.mqttv3.MqttConnectOptions o = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
    o.setCleanSession(false);
    cloudSub.connect(o);
    try {
      BridgeRig.eventually("all after the restart", Duration.ofSeconds(60), () -> cloud.of("site1/sensors/s1").size() >= n);
      Thread.sleep(1000);
      assertEquals(numbers(n), cloud.of("site1/sensors/s1"), "each once, in order");
      rig.awaitState(s -> s.getBoolean("connected") && s.getLong("backlog") == 0, Duration.ofSeconds(30));
    } finally {
      cloudSub.disconnect();
      cloudSub.close();
    }
  }
}
