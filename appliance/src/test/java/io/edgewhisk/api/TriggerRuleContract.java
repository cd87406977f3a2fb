package io.edgewhisk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Triggers and rules, with each trigger's {@code rules} map kept in step with its rules. */
public abstract class TriggerRuleContract extends ApiContractBase {
  private static final String TRIGGERS = "/api/v1/namespaces/_/triggers/";
  private static final String RULES = "/api/v1/namespaces/_/rules/";

  @Test
  void triggerCrud() {
    String t = unique("t");
    JsonObject created = guest.put(TRIGGERS + t, new JsonObject().put("parameters",
        new JsonArray().add(new JsonObject().put("key", "k").put("value", "v")))).json();
    assertEquals("0.0.1", created.getString("version"));
    assertEquals(new JsonObject(), created.getJsonObject("limits"));
    assertEquals(created, guest.get(TRIGGERS + t).json());
    assertError(guest.put(TRIGGERS + t, new JsonObject()), 409);
    assertEquals("0.0.2", guest.put(TRIGGERS + t + "?overwrite=true", new JsonObject()
        .put("annotations", new JsonArray().add(new JsonObject().put("key", "feed").put("value", "/whisk.system/alarms/alarm"))))
        .json().getString("version"));
    assertEquals(1, guest.get("/api/v1/namespaces/_/triggers?limit=0").array().stream()
        .filter(o -> ((JsonObject) o).getString("name").equals(t)).count());
    assertError(other.get("/api/v1/namespaces/guest/triggers/" + t), 403);
    assertEquals(200, guest.delete(TRIGGERS + t).status());
    assertError(guest.get(TRIGGERS + t), 404);
    assertError(guest.put(TRIGGERS + unique("bad"), new JsonObject().put("parameters", "x")), 400);
  }

  @Test
  void rulesKeepTheirTriggerInStep() {
    String t = unique("t");
    String a = unique("a");
    String r = unique("r");
    guest.put(TRIGGERS + t, new JsonObject());
    guest.put("/api/v1/namespaces/_/actions/" + a, nodeAction(HELLO));
    JsonObject rule = guest.put(RULES + r, new JsonObject().put("trigger", "/_/" + t).put("action", "/guest/" + a)).json();
    assertEquals("active", rule.getString("status"));
    assertEquals(new JsonObject().put("path", "guest").put("name", t), rule.getJsonObject("trigger"));
    assertEquals(new JsonObject().put("path", "guest").put("name", a), rule.getJsonObject("action"));
    JsonObject entry = guest.get(TRIGGERS + t).json().getJsonObject("rules").getJsonObject("guest/" + r);
    assertEquals("active", entry.getString("status"));
    assertEquals(new JsonObject().put("path", "guest").put("name", a), entry.getJsonObject("action"));

    assertEquals("inactive", guest.post(RULES + r, new JsonObject().put("status", "inactive")).json().getString("status"));
    assertEquals("inactive", guest.get(RULES + r).json().getString("status"));
    assertEquals("inactive", guest.get(TRIGGERS + t).json().getJsonObject("rules").getJsonObject("guest/" + r).getString("status"));
    assertEquals("active", guest.post(RULES + r, new JsonObject().put("status", "active")).json().getString("status"));
    assertError(guest.post(RULES + r, new JsonObject().put("status", "sleeping")), 400);
    assertError(guest.post(RULES + r, new JsonObject()), 400);

    String t2 = unique("t2");
    guest.put(TRIGGERS + t2, new JsonObject());
    guest.put(RULES + r + "?overwrite=true", new JsonObject().put("trigger", t2));
    assertNull(guest.get(TRIGGERS + t).json().getJsonObject("rules").getJsonObject("guest/" + r));
    assertEquals("active", guest.get(TRIGGERS + t2).json().getJsonObject("rules").getJsonObject("guest/" + r).getString("status"));

    assertEquals(200, guest.delete(RULES + r).status());
    assertFalse(guest.get(TRIGGERS + t2).json().getJsonObject("rules").containsKey("guest/" + r));
    assertError(guest.get(RULES + r), 404);
  }

  @Test
  void rulesNeedAnExistingTriggerAndAction() {
    String t = unique("t");
    guest.put(TRIGGERS + t, new JsonObject());
    assertError(guest.put(RULES + unique("r"), new JsonObject().put("trigger", t)), 400, "needs both");
    assertError(guest.put(RULES + unique("r"), new JsonObject().put("trigger", t).put("action", "nope")), 404);
    assertError(guest.put(RULES + unique("r"), new JsonObject().put("trigger", "nope").put("action", "nope")), 404);
    assertError(guest.put(RULES + unique("r"), new JsonObject().put("trigger", 5).put("action", "x")), 400);
    assertError(guest.put(RULES + unique("r"), new JsonObject().put("trigger", "/guest/a/b/c/d").put("action", "x")), 400);
    assertError(other.put("/api/v1/namespaces/_/rules/" + unique("r"), new JsonObject()
        .put("trigger", "/guest/" + t).put("action", "/other/x")), 403);
  }
}
