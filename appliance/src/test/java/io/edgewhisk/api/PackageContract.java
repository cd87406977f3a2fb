package io.edgewhisk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Packages, bindings, sharing across namespaces by {@code publish}, and delete with {@code force}. */
public abstract class PackageContract extends ApiContractBase {
  private static final String PACKAGES = "/api/v1/namespaces/_/packages/";

  private static JsonArray params(String k, Object v) {
    return new JsonArray().add(new JsonObject().put("key", k).put("value", v));
  }

  @Test
  void createGetUpdateDelete() {
    String name = unique("p");
    JsonObject p = guest.put(PACKAGES + name, new JsonObject().put("parameters", params("a", 1))).json();
    assertEquals("guest", p.getString("namespace"));
    assertEquals(new JsonObject(), p.getJsonObject("binding"));
    assertFalse(p.getBoolean("publish"));
    guest.put("/api/v1/namespaces/_/actions/" + name + "/act", nodeAction(HELLO));
    guest.put("/api/v1/namespaces/_/actions/" + name + "/feedaction", nodeAction(HELLO)
        .put("annotations", new JsonArray().add(new JsonObject().put("key", "feed").put("value", true))));
    JsonObject got = guest.get(PACKAGES + name).json();
    assertEquals(1, got.getJsonArray("actions").size());
    assertEquals("act", got.getJsonArray("actions").getJsonObject(0).getString("name"));
    assertEquals(1, got.getJsonArray("feeds").size());
    assertError(guest.put(PACKAGES + name, new JsonObject()), 409, "resource already exists");
    JsonObject u = guest.put(PACKAGES + name + "?overwrite=true", new JsonObject().put("publish", true)).json();
    assertEquals("0.0.2", u.getString("version"));
    assertTrue(u.getBoolean("publish"));
    assertEquals(params("a", 1), u.getJsonArray("parameters"));
    assertError(guest.delete(PACKAGES + name), 409, "Package not empty (contains 2 entities).");
    assertEquals(200, guest.delete(PACKAGES + name + "?force=true").status());
    assertError(guest.get(PACKAGES + name), 404);
    assertError(guest.get("/api/v1/namespaces/_/actions/" + name + "/act"), 404);
  }

  @Test
  void defaultIsReserved() {
    assertError(guest.put(PACKAGES + "default", new JsonObject()), 400, "Package name 'default' is reserved.");
  }

  @Test
  void bindingsMergeParametersAndShowTheBoundActions() {
    String base = unique("base");
    guest.put(PACKAGES + base, new JsonObject().put("parameters", params("a", 1).add(new JsonObject().put("key", "b").put("value", 1))));
    guest.put("/api/v1/namespaces/_/actions/" + base + "/act", nodeAction(HELLO).put("parameters", params("c", 3)));
    String bind = unique("bind");
    JsonObject b = guest.put(PACKAGES + bind, new JsonObject()
        .put("binding", new JsonObject().put("namespace", "guest").put("name", base))
        .put("parameters", params("b", 2))).json();
    assertEquals(new JsonObject().put("namespace", "guest").put("name", base), b.getJsonObject("binding"));
    JsonObject got = guest.get(PACKAGES + bind).json();
    JsonObject merged = new JsonObject();
    got.getJsonArray("parameters").forEach(o -> merged.put(((JsonObject) o).getString("key"), ((JsonObject) o).getValue("value")));
    assertEquals(new JsonObject().put("a", 1).put("b", 2), merged);
    assertEquals(1, got.getJsonArray("actions").size());
    JsonObject action = guest.get("/api/v1/namespaces/_/actions/" + bind + "/act").json();
    JsonObject actionParams = new JsonObject();
    action.getJsonArray("parameters").forEach(o -> actionParams.put(((JsonObject) o).getString("key"), ((JsonObject) o).getValue("value")));
    assertEquals(new JsonObject().put("a", 1).put("b", 2).put("c", 3), actionParams);

    assertError(guest.put(PACKAGES + unique("bb"), new JsonObject().put("binding",
        new JsonObject().put("namespace", "guest").put("name", bind))), 400, "Cannot bind to another package binding.");
    assertError(guest.put(PACKAGES + unique("nb"), new JsonObject().put("binding",
        new JsonObject().put("namespace", "guest").put("name", "nothing-here"))), 400, "Binding references a package that does not exist.");
    assertError(guest.put(PACKAGES + base + "?overwrite=true", new JsonObject().put("binding",
        new JsonObject().put("namespace", "guest").put("name", bind))), 400, "cannot be converted into a binding");
    assertError(guest.put(PACKAGES + unique("bad"), new JsonObject().put("binding",
        new JsonObject().put("namespace", 3))), 400);
  }

  @Test
  void publishedPackagesAreSharedAndNothingElse() {
    String pub = unique("pub");
    String priv = unique("priv");
    guest.put(PACKAGES + pub, new JsonObject().put("publish", true));
    guest.put(PACKAGES + priv, new JsonObject());
    guest.put("/api/v1/namespaces/_/actions/" + pub + "/shared", nodeAction(HELLO));
    guest.put("/api/v1/namespaces/_/actions/" + priv + "/hidden", nodeAction(HELLO));

    JsonArray visible = other.get("/api/v1/namespaces/guest/packages?limit=0").array();
    assertTrue(visible.stream().anyMatch(o -> ((JsonObject) o).getString("name").equals(pub)));
    assertFalse(visible.stream().anyMatch(o -> ((JsonObject) o).getString("name").equals(priv)));
    assertEquals(200, other.get("/api/v1/namespaces/guest/packages/" + pub).status());
    assertError(other.get("/api/v1/namespaces/guest/packages/" + priv), 403);
    assertEquals(200, other.get("/api/v1/namespaces/guest/actions/" + pub + "/shared").status());
    assertEquals(1, other.get("/api/v1/namespaces/guest/actions/" + pub + "/").array().size());
    assertError(other.get("/api/v1/namespaces/guest/actions/" + priv + "/hidden"), 403);
    assertError(other.get("/api/v1/namespaces/guest/actions/" + priv + "/"), 403);
    assertError(other.put("/api/v1/namespaces/guest/actions/" + pub + "/x", nodeAction(HELLO)), 403);
    assertError(other.delete("/api/v1/namespaces/guest/packages/" + pub), 403);

    String bind = unique("mybind");
    assertEquals(200, other.put("/api/v1/namespaces/_/packages/" + bind, new JsonObject()
        .put("binding", new JsonObject().put("namespace", "guest").put("name", pub))).status());
    assertEquals(200, other.get("/api/v1/namespaces/_/actions/" + bind + "/shared").status());
    assertError(other.put("/api/v1/namespaces/_/packages/" + unique("b"), new JsonObject()
        .put("binding", new JsonObject().put("namespace", "guest").put("name", priv))), 403);
  }
}
