package io.edgewhisk.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.api.RealAppliance;
import io.edgewhisk.api.WhiskClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** With no container engine to reach, the API still works and invocations answer 503, plainly. */
class NoEngineIT {
  @Test
  void invocationsAnswer503AndEverythingElseWorks() throws Exception {
    try (RealAppliance appliance = new RealAppliance(
        "edgewhisk.invoker { podman-socket = \"/nonexistent/podman.sock\", start-podman-service = false }")) {
      WhiskClient wsk = new WhiskClient(appliance.port(), appliance.guestKey());
      assertEquals("pong", wsk.get("/ping").body());
      assertEquals(200, wsk.put("/api/v1/namespaces/_/actions/a", new JsonObject().put("exec",
          new JsonObject().put("kind", "nodejs:default").put("code", "function main() { return {}; }"))).status());
      for (String path : new String[] {"/api/v1/namespaces/_/actions/a?blocking=true", "/api/v1/namespaces/_/actions/a"}) {
        WhiskClient.Reply r = wsk.post(path, new JsonObject());
        assertEquals(503, r.status(), r::toString);
        assertTrue(r.json().getString("error").contains("container engine"), r::toString);
      }
      assertTrue(wsk.get("/metrics").body().contains("edgewhisk_invoker_ready 0"));
      WhiskClient.Reply health = wsk.get("/health");
      assertEquals(503, health.status(), health::toString);
      JsonObject podman = health.json().getJsonObject("parts").getJsonObject("podman");
      assertEquals("down", podman.getString("status"), health::toString);
      assertTrue(podman.getString("reason").contains("/nonexistent/podman.sock"), health::toString);
    }
  }
}
