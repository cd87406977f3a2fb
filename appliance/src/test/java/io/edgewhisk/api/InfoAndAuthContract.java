package io.edgewhisk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The unauthenticated routes, namespaces, authentication and the error contract. */
public abstract class InfoAndAuthContract extends ApiContractBase {

  @Test
  void rootDescribesTheSystem() {
    WhiskClient.Reply r = anonymous.get("/");
    assertEquals(200, r.status());
    JsonObject o = r.json();
    assertEquals("OpenWhisk", o.getString("description"));
    assertEquals(new JsonArray().add("/api/v1"), o.getJsonArray("api_paths"));
    JsonObject limits = o.getJsonObject("limits");
    for (String k : new String[] {"actions_per_minute", "triggers_per_minute", "concurrent_actions", "sequence_length",
        "min_action_duration", "max_action_duration", "min_action_memory", "max_action_memory", "min_action_logs",
        "max_action_logs"}) {
      assertNotNull(limits.getValue(k), k);
    }
    assertEquals(134217728L, limits.getLong("min_action_memory"));
    assertNotNull(o.getJsonObject("runtimes"));
    assertNotNull(r.header("X-Request-ID"));
  }

  @Test
  void pingAndApiInfo() {
    WhiskClient.Reply ping = anonymous.get("/ping");
    assertEquals(200, ping.status());
    assertEquals("pong", ping.body());
    JsonObject api = anonymous.get("/api/v1").json();
    assertEquals("OpenWhisk API", api.getString("description"));
    assertEquals("v1", api.getString("api_version_path"));
    JsonObject docs = anonymous.get("/api/v1/api-docs").json();
    assertEquals("2.0", docs.getString("swagger"));
  }

  @Test
  void metricsInPrometheusTextFormat() {
    WhiskClient.Reply r = anonymous.get("/metrics");
    assertEquals(200, r.status());
    assertTrue(r.header("Content-Type").startsWith("text/plain"));
    assertTrue(r.body().contains("\nedgewhisk_ready 1\n"), r.body());
    assertTrue(r.body().contains("# TYPE edgewhisk_log_dropped_records_total counter"), r.body());
    assertTrue(r.body().contains("edgewhisk_log_dropped_records_total 0"), r.body());
  }

  @Test
  void namespacesListsTheCallersOwn() {
    WhiskClient.Reply r = guest.get("/api/v1/namespaces");
    assertEquals(200, r.status(), r::toString);
    assertEquals(new JsonArray().add("guest"), r.array());
    assertEquals(new JsonArray().add("other"), other.get("/api/v1/namespaces").array());
  }

  @Test
  void limitsOfOwnNamespaceOnly() {
    JsonObject limits = guest.get("/api/v1/namespaces/_/limits").json();
    assertEquals(60, limits.getInteger("invocationsPerMinute"));
    assertEquals(30, limits.getInteger("concurrentInvocations"));
    assertEquals(60, limits.getInteger("firesPerMinute"));
    assertEquals(200, guest.get("/api/v1/namespaces/guest/limits").status());
    assertError(guest.get("/api/v1/namespaces/other/limits"), 403, "not authorized");
  }

  @Test
  void missingCredentialsAre401WithChallenge() {
    WhiskClient.Reply r = anonymous.get("/api/v1/namespaces/_/actions");
    assertError(r, 401, "requires authentication");
    assertEquals("Basic realm=\"OpenWhisk secure realm\"", r.header("WWW-Authenticate"));
  }

  @Test
  void wrongCredentialsAre401() {
    String uuid = appliance.guestKey().split(":")[0];
    for (String key : new String[] {uuid + ":" + "x".repeat(64), "nocolon", "", uuid + ":", ":" + "a".repeat(64)}) {
      WhiskClient.Reply r = guest.as(key).get("/api/v1/namespaces/_/actions");
      assertError(r, 401, "The supplied authentication is invalid");
      assertEquals("Basic realm=\"OpenWhisk secure realm\"", r.header("WWW-Authenticate"));
    }
    WhiskClient.Reply garbage = anonymous.send("GET", "/api/v1/namespaces/_/actions", null);
    assertError(garbage, 401);
  }

  @Test
  void notBasicOrNotBase64Is401() {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (String header : new String[] {"Bearer abc", "Basic !!!notbase64", "Basic "
        + Base64.getEncoder().encodeToString("ünïcödé:kéy".getBytes(StandardCharsets.UTF_8))}) {
      try {
        java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + appliance.port() + "/api/v1/namespaces/_/actions"))
            .header("Authorization", header).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode(), header);
        assertTrue(new JsonObject(r.body()).getString("error").contains("authentication"));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void unknownRoutesAre404InOpenWhisksShape() {
    assertError(guest.get("/api/v1/namespaces/_/nothing"), 404);
    assertError(anonymous.get("/no/such/path"), 404);
  }

  @Test
  void everyAnswerHasARequestId() {
    for (WhiskClient.Reply r : new WhiskClient.Reply[] {anonymous.get("/"), anonymous.get("/ping"),
        guest.get("/api/v1/namespaces/_/actions"), guest.get("/api/v1/namespaces/_/actions/nope"),
        anonymous.get("/api/v1/namespaces/_/actions")}) {
      String id = r.header("X-Request-ID");
      assertNotNull(id, r::toString);
      assertEquals(32, id.length(), id);
    }
  }

  @Test
  void otherNamespacesCollectionsAreForbidden() {
    for (String c : new String[] {"actions", "triggers", "rules", "activations"}) {
      assertError(other.get("/api/v1/namespaces/guest/" + c), 403, "The supplied authentication is not authorized to access 'guest'.");
    }
  }
}
