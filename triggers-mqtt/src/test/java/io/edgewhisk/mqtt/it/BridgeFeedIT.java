package io.edgewhisk.mqtt.it;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The feed and the publish action on a bridge, end to end with real Podman and a real Mosquitto: a message
 * published at Mosquitto fires a trigger whose feed says {@code broker = m}, its rule runs an action; the publish
 * action with {@code broker = m} reaches a subscriber at Mosquitto.
 */
class BridgeFeedIT {
  static final String NS = "guest/";
  final String instance = "mqtt-bridge-it-" + UUID.randomUUID().toString().substring(0, 8);
  BridgeRig rig;

  @AfterEach
  void tearDown() throws Exception {
    if (rig != null) {
      rig.close();
    }
    PodmanLeftovers.remove(instance);
  }

  @Test
  void aFeedOnTheBridgeFiresATriggerAndThePublishActionGoesThroughIt() throws Exception {
    rig = new BridgeRig("", true);
    rig.startAppliance("", rig.mosquitto.port(), List.of("-Dedgewhisk.invoker.instance-id=" + instance));
    rig.awaitState(s -> s.getBoolean("connected"), Duration.ofSeconds(30));
    WhiskRest wsk = new WhiskRest(rig.appliance.apiPort(),
        Files.readString(rig.state.resolve("appliance").resolve("guest.key")).strip());
    assertEquals(200, wsk.put(NS + "actions/record?overwrite=true", new JsonObject().put("exec", new JsonObject()
        .put("kind", "nodejs:default").put("code", "function main(p) { return {topic: p.topic, c: p.payload.c}; }")))
        .status());
    assertEquals(200, wsk.put(NS + "triggers/plant?overwrite=true", new JsonObject().put("annotations",
        new JsonArray().add(new JsonObject().put("key", "feed").put("value", "/whisk.system/mqtt/subscribe"))))
        .status());
    WhiskRest.Reply unknown = feed(wsk, "CREATE", new JsonObject().put("topic", "plant/#").put("broker", "nope"));
    assertTrue(unknown.body().contains("broker 'nope' is not known"), unknown::toString);
    WhiskRest.Reply created = feed(wsk, "CREATE", new JsonObject().put("topic", "plant/+/temp").put("broker", "m"));
    assertEquals(200, created.status(), created::toString);
    assertEquals(200, wsk.put(NS + "rules/on-plant?overwrite=true", new JsonObject().put("trigger", "/guest/plant")
        .put("action", "/guest/record")).status());

    MqttClient plc = rig.remote("plc", true);
    // the feed's remote subscription is made as soon as the feed is created: publish until the action ran
    JsonObject result = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (result == null && System.nanoTime() < deadline) {
      plc.publish("plant/p1/temp", "{\"c\": 19.5}".getBytes(), 1, false);
      Thread.sleep(1000);
      WhiskRest.Reply r = wsk.get(NS + "activations?name=record&docs=true&limit=5");
      JsonArray list = new JsonArray(r.body());
      if (!list.isEmpty()) {
        result = list.getJsonObject(0).getJsonObject("response").getJsonObject("result");
      }
    }
    assertNotNull(result, "no activation of record\n" + rig.appliance.output());
    assertEquals("plant/p1/temp", result.getString("topic"));
    assertEquals(19.5, result.getDouble("c"));

    MqttClient actuator = rig.remote("actuator", true);
    BridgeRig.Inbox inbox = BridgeRig.Inbox.on(actuator);
    actuator.subscribe("valves/#", 1);
    WhiskRest.Reply published = wsk.post("whisk.system/actions/mqtt/publish?blocking=true&result=true",
        new JsonObject().put("topic", "valves/v1").put("payload", new JsonObject().put("open", true))
            .put("broker", "m"));
    assertEquals(200, published.status(), published::toString);
    assertEquals("queued", published.json().getString("status"));
    BridgeRig.eventually("the action's message at Mosquitto", Duration.ofSeconds(20),
        () -> inbox.all.contains("valves/v1={\"open\":true}"));
    WhiskRest.Reply bad = wsk.post("whisk.system/actions/mqtt/publish?blocking=true&result=true",
        new JsonObject().put("topic", "valves/v1").put("broker", "nope"));
    assertTrue(bad.body().contains("broker 'nope' is not known"), bad::toString);
  }

  WhiskRest.Reply feed(WhiskRest wsk, String event, JsonObject params) throws Exception {
    JsonObject body = params.copy().put("lifecycleEvent", event).put("triggerName", "/guest/plant")
        .put("authKey", wsk.key);
    return wsk.post("whisk.system/actions/mqtt/subscribe?blocking=true&result=true", body);
  }
}
