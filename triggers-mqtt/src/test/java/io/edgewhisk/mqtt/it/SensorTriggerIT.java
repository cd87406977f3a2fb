package io.edgewhisk.mqtt.it;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reason a gateway runs EdgeWhisk, end to end on a real appliance with real Podman: a sensor's MQTT message
 * fires a trigger through the /whisk.system/mqtt/subscribe feed, two rules run two actions, two activations
 * record the message; the publish action reaches a mosquitto_sub; the registration survives a SIGKILL.
 */
class SensorTriggerIT {
  static final String NS = "guest/";
  Path state;
  String instance;
  ChildAppliance appliance;

  @BeforeEach
  void setUp() throws Exception {
    state = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "sensor-state");
    instance = "mqtt-it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (appliance != null) {
      appliance.close();
    }
    PodmanLeftovers.remove(instance);
    try (var files = Files.walk(state)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  ChildAppliance start(int mqttPort) throws Exception {
    return ChildAppliance.start(state, mqttPort, List.of("-Dedgewhisk.invoker.instance-id=" + instance));
  }

  static MqttClient sensor(String url) throws Exception {
    MqttClient c = new MqttClient(url, "sensor-" + UUID.randomUUID(), new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setUserName(EmbeddedBroker.USER);
    o.setPassword(EmbeddedBroker.PASSWORD.toCharArray());
    c.connect(o);
    return c;
  }

  JsonObject feed(WhiskRest wsk, String event, JsonObject params) throws Exception {
    JsonObject body = params.copy().put("lifecycleEvent", event).put("triggerName", "/guest/thermo")
        .put("authKey", wsk.key);
    WhiskRest.Reply r = wsk.post("whisk.system/actions/mqtt/subscribe?blocking=true&result=true", body);
    assertEquals(200, r.status(), r::toString);
    return r.json();
  }

  List<JsonObject> activationsOf(WhiskRest wsk, String action, int atLeast) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    List<JsonObject> found = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      WhiskRest.Reply r = wsk.get(NS + "activations?name=" + action + "&docs=true&limit=50");
      assertEquals(200, r.status(), r::toString);
      found.clear();
      new JsonArray(r.body()).forEach(a -> found.add((JsonObject) a));
      if (found.size() >= atLeast) {
        return found;
      }
      Thread.sleep(300);
    }
    fail(action + ": " + found.size() + " activations, expected " + atLeast + "\n" + appliance.output());
    return found;
  }

  @Test
  void aSensorMessageRunsTwoActionsThroughTwoRules() throws Exception {
    int port = ChildAppliance.freePort();
    appliance = start(port);
    WhiskRest wsk = new WhiskRest(appliance.apiPort(), Files.readString(state.resolve("guest.key")).strip());
    for (String a : List.of("store", "alert")) {
      WhiskRest.Reply r = wsk.put(NS + "actions/" + a + "?overwrite=true", new JsonObject().put("exec", new JsonObject()
          .put("kind", "nodejs:default").put("code",
              "function main(p) { return {by: '" + a + "', topic: p.topic, c: p.payload.c, site: p.site}; }")));
      assertEquals(200, r.status(), r::toString);
    }
    assertEquals(200, wsk.put(NS + "triggers/thermo?overwrite=true", new JsonObject().put("annotations",
        new JsonArray().add(new JsonObject().put("key", "feed").put("value", "/whisk.system/mqtt/subscribe"))))
        .status());
    assertEquals("success", feed(wsk, "CREATE", new JsonObject().put("topic", "sensors/+/temp").put("qos", 1)
        .put("trigger_payload", new JsonObject().put("site", "greenhouse"))).getString("status"));
    for (String a : List.of("store", "alert")) {
      WhiskRest.Reply r = wsk.put(NS + "rules/on-" + a + "?overwrite=true",
          new JsonObject().put("trigger", "/guest/thermo").put("action", "/guest/" + a));
      assertEquals(200, r.status(), r::toString);
    }
    JsonObject read = feed(wsk, "READ", new JsonObject());
    assertEquals("sensors/+/temp", read.getJsonObject("config").getString("topic"));

    MqttClient sensor = sensor(appliance.mqttUrl());
    sensor.publish("sensors/s1/temp", "{\"c\": 21.5}".getBytes(), 1, false); // PUBACK once the fire is accepted
    for (String a : List.of("store", "alert")) {
      JsonObject result = activationsOf(wsk, a, 1).get(0).getJsonObject("response").getJsonObject("result");
      assertEquals(a, result.getString("by"));
      assertEquals("sensors/s1/temp", result.getString("topic"));
      assertEquals(21.5, result.getDouble("c"));
      assertEquals("greenhouse", result.getString("site"), "trigger_payload merged under the message");
    }

    // the publish action reaches a real subscriber
    Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-u",
        EmbeddedBroker.USER, "-P", EmbeddedBroker.PASSWORD, "-t", "actuators/fan", "-C", "1", "-W", "30",
        "-i", "fan").start();
    awaitSubscriber(sensor, "actuators/fan");
    WhiskRest.Reply published = wsk.post("whisk.system/actions/mqtt/publish?blocking=true&result=true",
        new JsonObject().put("topic", "actuators/fan").put("payload", new JsonObject().put("on", true)).put("qos", 1));
    assertEquals(200, published.status(), published::toString);
    assertEquals("acknowledged", published.json().getString("status"));
    assertTrue(sub.waitFor(30, TimeUnit.SECONDS));
    assertEquals("{\"on\":true}", new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    sensor.disconnect();

    // the registration survives a SIGKILL of the appliance
    appliance.kill();
    appliance = start(port);
    wsk = new WhiskRest(appliance.apiPort(), wsk.key);
    MqttClient again = sensor(appliance.mqttUrl());
    again.publish("sensors/s2/temp", "{\"c\": 30}".getBytes(), 1, false);
    List<JsonObject> stored = activationsOf(wsk, "store", 2);
    assertTrue(stored.stream().anyMatch(a -> a.getJsonObject("response").getJsonObject("result")
        .getDouble("c", 0.0) == 30.0), stored::toString);

    // paused: no fire; deleted: gone
    feed(wsk, "PAUSE", new JsonObject());
    again.publish("sensors/s3/temp", "{\"c\": 99}".getBytes(), 1, false);
    Thread.sleep(2000);
    assertEquals(2, activationsOf(wsk, "store", 2).size(), "a paused feed does not fire");
    assertFalse(feed(wsk, "READ", new JsonObject()).getJsonObject("status").getBoolean("active"));
    feed(wsk, "DELETE", new JsonObject());
    again.disconnect();
  }

  @Test
  void aFireTheThrottleRefusesIsRecordedAsATriggerActivationAndTheMessageIsAcknowledged() throws Exception {
    int port = ChildAppliance.freePort();
    appliance = ChildAppliance.start(state, port, List.of("-Dedgewhisk.invoker.instance-id=" + instance,
        "-Dedgewhisk.namespace-defaults.fires-per-minute=2"));
    WhiskRest wsk = new WhiskRest(appliance.apiPort(), Files.readString(state.resolve("guest.key")).strip());
    assertEquals(200, wsk.put(NS + "actions/store?overwrite=true", new JsonObject().put("exec", new JsonObject()
        .put("kind", "nodejs:default").put("code", "function main(p) { return {c: p.payload.c}; }"))).status());
    assertEquals(200, wsk.put(NS + "triggers/thermo?overwrite=true", new JsonObject().put("annotations",
        new JsonArray().add(new JsonObject().put("key", "feed").put("value", "/whisk.system/mqtt/subscribe"))))
        .status());
    feed(wsk, "CREATE", new JsonObject().put("topic", "sensors/+/temp").put("qos", 1));
    assertEquals(200, wsk.put(NS + "rules/on-store?overwrite=true",
        new JsonObject().put("trigger", "/guest/thermo").put("action", "/guest/store")).status());

    MqttClient sensor = sensor(appliance.mqttUrl());
    for (int c = 1; c <= 5; c++) { // each publish returns after its PUBACK: none is left unacknowledged
      sensor.publish("sensors/s1/temp", ("{\"c\": " + c + "}").getBytes(), 1, false);
    }
    sensor.disconnect();
    assertEquals(2, activationsOf(wsk, "store", 2).size(), "two fires a minute run the rule");
    List<JsonObject> thermo = activationsOf(wsk, "thermo", 3);
    List<JsonObject> refusals = thermo.stream().filter(a -> !a.getJsonObject("response").getBoolean("success"))
        .sorted(java.util.Comparator.comparingLong(a -> a.getLong("start"))).toList();
    // the three refusals come within a second, so one record unless this machine is very slow
    assertTrue(refusals.size() >= 1 && refusals.size() <= 3, thermo::toString);
    JsonObject result = refusals.get(0).getJsonObject("response").getJsonObject("result");
    assertTrue(result.getString("error").startsWith("Too many requests in the last minute"), result::encode);
    assertEquals(1, result.getLong("refusedFires"), "the first refusal is recorded at once");
    assertEquals(3, result.getJsonObject("payload").getJsonObject("payload").getLong("c"), "the refused message");
    String metrics = wsk.metrics();
    assertTrue(metrics.contains("openwhisk_action_limit_timed_total{namespace=\"guest\"} 3"), metrics);
  }

  /** Waits until mosquitto_sub has subscribed: a retained probe on the topic's own name would be wrong, so poll. */
  private static void awaitSubscriber(MqttClient any, String topic) throws Exception {
    Thread.sleep(1500);
  }
}
