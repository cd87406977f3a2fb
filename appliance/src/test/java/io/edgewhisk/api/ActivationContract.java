package io.edgewhisk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.ActivationResponse;
import io.edgewhisk.model.KeyValue;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.SemVer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading activation records: list with filters, get, result, logs, and bad ids. */
public abstract class ActivationContract extends ApiContractBase {
  private static final String ACTIVATIONS = "/api/v1/namespaces/_/activations";

  private Activation record(String ns, String name, String path, long start, int status) {
    return new Activation(ns, name, ns, ActivationId.random(), start, start + 5, 5, null,
        new ActivationResponse(status, new JsonObject().put("n", start), null),
        List.of("2026-11-22T10:00:00.000000000Z stdout: hi " + start),
        new KeyValues(List.of(KeyValue.of("path", path), KeyValue.of("kind", "nodejs:18"))), SemVer.INITIAL, false);
  }

  @Test
  void listFilterGetResultLogs() {
    String name = unique("act");
    long t0 = 1_700_000_000_000L + System.nanoTime() % 1_000_000;
    Activation a1 = record("guest", name, "guest/" + name, t0, 0);
    Activation a2 = record("guest", name, "guest/pkg/" + name, t0 + 1000, 1);
    Activation elsewhere = record("other", name, "other/" + name, t0 + 2000, 0);
    appliance.storeActivation(a1);
    appliance.storeActivation(a2);
    appliance.storeActivation(elsewhere);

    JsonArray listed = guest.get(ACTIVATIONS + "?name=" + name).array();
    assertEquals(2, listed.size());
    assertEquals(a2.activationId().value(), listed.getJsonObject(0).getString("activationId"), "newest first");
    assertNull(listed.getJsonObject(0).getValue("response"));
    assertEquals(1, listed.getJsonObject(0).getInteger("statusCode"));
    assertEquals(1, guest.get(ACTIVATIONS + "?name=pkg/" + name).array().size());
    assertEquals(1, guest.get(ACTIVATIONS + "?name=" + name + "&since=" + (t0 + 1)).array().size());
    assertEquals(1, guest.get(ACTIVATIONS + "?name=" + name + "&upto=" + (t0 + 1)).array().size());
    assertEquals(2, guest.get(ACTIVATIONS + "?name=" + name + "&count=true").json().getInteger("activations"));
    JsonObject doc = guest.get(ACTIVATIONS + "?name=" + name + "&docs=true&limit=1").array().getJsonObject(0);
    assertEquals(1, doc.getJsonObject("response").getInteger("statusCode"));
    assertEquals(1, guest.get(ACTIVATIONS + "?name=" + name + "&skip=1").array().size());

    JsonObject got = guest.get(ACTIVATIONS + "/" + a1.activationId()).json();
    assertEquals(a1.toJson(), got);
    JsonObject result = guest.get(ACTIVATIONS + "/" + a1.activationId() + "/result").json();
    assertEquals("success", result.getString("status"));
    assertTrue(result.getBoolean("success"));
    assertEquals(new JsonObject().put("n", t0), result.getJsonObject("result"));
    assertEquals(new JsonArray(a1.logs()), guest.get(ACTIVATIONS + "/" + a1.activationId() + "/logs").json().getJsonArray("logs"));

    assertError(guest.get(ACTIVATIONS + "/" + elsewhere.activationId()), 404);
    assertError(other.get("/api/v1/namespaces/guest/activations/" + a1.activationId()), 403);
  }

  @Test
  void badQueriesAre400() {
    assertError(guest.get(ACTIVATIONS + "/not-an-id"), 400, "The activation id is not valid.");
    assertError(guest.get(ACTIVATIONS + "/" + "0".repeat(32)), 404);
    assertError(guest.get(ACTIVATIONS + "?docs=true&count=true"), 400, "The parameter 'docs' is not permitted with 'count'.");
    assertError(guest.get(ACTIVATIONS + "?since=yesterday"), 400, "epoch");
    assertError(guest.get(ACTIVATIONS + "?name=a/b/c"), 400, "Parameter may be a 'simple' name");
    assertError(guest.get(ACTIVATIONS + "?limit=500"), 400);
  }
}
