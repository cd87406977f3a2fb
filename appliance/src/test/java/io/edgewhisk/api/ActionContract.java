package io.edgewhisk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Actions: create, get, update, list, delete, every exec kind, limits and bad input. */
public abstract class ActionContract extends ApiContractBase {
  private static final String ACTIONS = "/api/v1/namespaces/_/actions/";

  @Test
  void createGetUpdateDelete() {
    String name = unique("hello");
    WhiskClient.Reply created = guest.put(ACTIONS + name, nodeAction(HELLO)
        .put("parameters", new JsonArray().add(new JsonObject().put("key", "name").put("value", "Ada"))));
    assertEquals(200, created.status(), created::toString);
    JsonObject a = created.json();
    assertEquals("guest", a.getString("namespace"));
    assertEquals(name, a.getString("name"));
    assertEquals("0.0.1", a.getString("version"));
    assertEquals("nodejs:18", a.getJsonObject("exec").getString("kind"));
    assertEquals(HELLO, a.getJsonObject("exec").getString("code"));
    assertFalse(a.getJsonObject("exec").getBoolean("binary"));
    assertEquals(new JsonObject().put("timeout", 60000).put("memory", 256).put("logs", 10).put("concurrency", 1),
        a.getJsonObject("limits"));
    assertTrue(a.getJsonArray("annotations").contains(new JsonObject().put("key", "exec").put("value", "nodejs:18")));
    assertTrue(a.getJsonArray("annotations").contains(new JsonObject().put("key", "provide-api-key").put("value", false)));
    assertTrue(a.getLong("updated") > 0);

    JsonObject got = guest.get("/api/v1/namespaces/guest/actions/" + name).json();
    assertEquals(a, got);
    JsonObject noCode = guest.get(ACTIONS + name + "?code=false").json();
    assertNull(noCode.getJsonObject("exec").getString("code"));

    assertError(guest.put(ACTIONS + name, nodeAction(HELLO)), 409, "resource already exists");

    WhiskClient.Reply updated = guest.put(ACTIONS + name + "?overwrite=true",
        new JsonObject().put("limits", new JsonObject().put("timeout", 1000)).put("publish", true));
    assertEquals(200, updated.status(), updated::toString);
    JsonObject u = updated.json();
    assertEquals("0.0.2", u.getString("version"));
    assertEquals(HELLO, u.getJsonObject("exec").getString("code"), "exec kept when the update leaves it out");
    assertEquals(1000, u.getJsonObject("limits").getInteger("timeout"));
    assertEquals(256, u.getJsonObject("limits").getInteger("memory"));
    assertEquals("Ada", u.getJsonArray("parameters").getJsonObject(0).getString("value"));
    assertTrue(u.getBoolean("publish"));

    WhiskClient.Reply deleted = guest.delete(ACTIONS + name);
    assertEquals(200, deleted.status());
    assertEquals("0.0.2", deleted.json().getString("version"));
    assertError(guest.get(ACTIONS + name), 404, "The requested resource 'guest/" + name + "' does not exist.");
    assertError(guest.delete(ACTIONS + name), 404);
  }

  @Test
  void listCountLimitSkip() {
    String prefix = unique("list");
    for (int i = 0; i < 3; i++) {
      assertEquals(200, guest.put(ACTIONS + prefix + i, nodeAction(HELLO)).status());
    }
    JsonArray all = guest.get("/api/v1/namespaces/_/actions?limit=0").array();
    long mine = all.stream().map(o -> ((JsonObject) o).getString("name")).filter(n -> n.startsWith(prefix)).count();
    assertEquals(3, mine);
    JsonObject summary = all.stream().map(JsonObject.class::cast).filter(o -> o.getString("name").startsWith(prefix)).findFirst().orElseThrow();
    assertNull(summary.getValue("parameters"));
    assertEquals(new JsonObject().put("binary", false), summary.getJsonObject("exec"));
    long total = guest.get("/api/v1/namespaces/_/actions?count=true").json().getLong("actions");
    assertEquals(all.size(), total);
    assertEquals(1, guest.get("/api/v1/namespaces/_/actions?limit=1").array().size());
    assertEquals(Math.max(0, all.size() - 1), guest.get("/api/v1/namespaces/_/actions?limit=200&skip=1").array().size());
    assertError(guest.get("/api/v1/namespaces/_/actions?limit=201"), 400, "The value '201' is not in the range of 0 to 200 for actions.");
    assertError(guest.get("/api/v1/namespaces/_/actions?skip=-1"), 400, "not greater than or equal to 0");
    assertError(guest.get("/api/v1/namespaces/_/actions?limit=abc"), 400, "is not an integer for actions");
    assertError(guest.get("/api/v1/namespaces/_/actions?count=maybe"), 400);
  }

  @Test
  void kindsBlackboxBinaryAndMain() {
    String bb = unique("bb");
    JsonObject blackbox = guest.put(ACTIONS + bb, new JsonObject().put("exec",
        new JsonObject().put("kind", "blackbox").put("image", "localhost/me/my-action:1"))).json();
    assertEquals("blackbox", blackbox.getJsonObject("exec").getString("kind"));
    assertEquals("localhost/me/my-action:1", blackbox.getJsonObject("exec").getString("image"));
    assertError(guest.put(ACTIONS + unique("bb"), new JsonObject().put("exec", new JsonObject().put("kind", "blackbox"))),
        400, "exec.image");

    byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 1, 2, 3};
    String b64 = Base64.getEncoder().encodeToString(zip);
    JsonObject bin = guest.put(ACTIONS + unique("zip"), new JsonObject().put("exec",
        new JsonObject().put("kind", "python:default").put("code", b64).put("main", "handler"))).json();
    assertTrue(bin.getJsonObject("exec").getBoolean("binary"));
    assertEquals("python:3.11", bin.getJsonObject("exec").getString("kind"));
    assertEquals("handler", bin.getJsonObject("exec").getString("main"));
    assertError(guest.put(ACTIONS + unique("bin"), new JsonObject().put("exec",
        new JsonObject().put("kind", "nodejs:18").put("code", "not base64 !!").put("binary", true))), 400, "base64");
  }

  @Test
  void unicodeContentIsKeptExactly() {
    String name = unique("uni");
    String code = "function main() { return {msg: 'héllo ✓ 你好 🎉'}; }";
    JsonObject body = nodeAction(code).put("parameters",
        new JsonArray().add(new JsonObject().put("key", "grüße").put("value", "ünï ✓")));
    assertEquals(200, guest.put(ACTIONS + name, body).status());
    JsonObject got = guest.get(ACTIONS + name).json();
    assertEquals(code, got.getJsonObject("exec").getString("code"));
    assertEquals("ünï ✓", got.getJsonArray("parameters").getJsonObject(0).getString("value"));
  }

  @Test
  void badExecAndLimitsAre400() {
    String n = unique("bad");
    assertError(guest.put(ACTIONS + n, new JsonObject()), 400, "'exec' is required");
    assertError(guest.put(ACTIONS + n, new JsonObject().put("exec", "code")), 400, "'exec' must be an object");
    assertError(guest.put(ACTIONS + n, new JsonObject().put("exec", new JsonObject().put("code", HELLO))), 400, "exec.kind");
    assertError(guest.put(ACTIONS + n, new JsonObject().put("exec", new JsonObject().put("kind", "cobol:85").put("code", "x"))),
        400, "The action kind 'cobol:85' is not supported.");
    assertError(guest.put(ACTIONS + n, new JsonObject().put("exec", new JsonObject().put("kind", "nodejs:18"))), 400, "exec.code");
    assertError(guest.put(ACTIONS + n, new JsonObject().put("exec", new JsonObject().put("kind", 18).put("code", "x"))), 400);
    for (JsonObject limits : new JsonObject[] {new JsonObject().put("timeout", 50), new JsonObject().put("timeout", 300001),
        new JsonObject().put("memory", 64), new JsonObject().put("memory", 1024), new JsonObject().put("logs", 11),
        new JsonObject().put("concurrency", 0), new JsonObject().put("timeout", "soon"), new JsonObject().put("memory", 1.5)}) {
      assertError(guest.put(ACTIONS + n, nodeAction(HELLO).put("limits", limits)), 400);
    }
    assertError(guest.put(ACTIONS + n, nodeAction(HELLO).put("limits", "big")), 400);
    assertError(guest.put(ACTIONS + n, nodeAction(HELLO).put("parameters", new JsonObject().put("a", 1))), 400, "parameters");
    assertError(guest.put(ACTIONS + n, nodeAction(HELLO).put("parameters", new JsonArray().add(new JsonObject().put("key", 1)))), 400);
    assertError(guest.put(ACTIONS + n, nodeAction(HELLO).put("annotations", new JsonArray().add("x"))), 400, "annotations");
    assertError(guest.put(ACTIONS + n, nodeAction(HELLO).put("publish", "yes")), 400, "publish");
    assertError(guest.get(ACTIONS + n), 404, "does not exist");
  }

  @Test
  void malformedBodiesAre400() {
    String n = unique("malformed");
    for (String body : new String[] {"{", "{\"exec\":", "[1,2]", "\"text\"", "42", "null", "{\"exec\": {\"kind\": \"nodejs:18\", \"code\": \"x\"}} trailing"}) {
      WhiskClient.Reply r = guest.send("PUT", ACTIONS + n, body);
      assertError(r, 400);
    }
  }

  @Test
  void tooLargeIs413() {
    String big = "x".repeat(1024 * 1024 + 10);
    JsonObject withBigParams = nodeAction(HELLO).put("parameters",
        new JsonArray().add(new JsonObject().put("key", "blob").put("value", big)));
    assertError(guest.put(ACTIONS + unique("big"), withBigParams), 413, "parameters larger than allowed");
    assertError(guest.put(ACTIONS + unique("code"), nodeAction("z".repeat(5 * 1024 * 1024))), 413, "exec larger than allowed");
    String huge = "y".repeat(9 * 1024 * 1024);
    assertError(guest.put(ACTIONS + unique("huge"), nodeAction(huge)), 413, "Request larger than allowed");
  }

  @Test
  void badNamesAre400() {
    for (String name : new String[] {"%F0%9F%98%80", "caf%C3%A9", "a%2Fb", "-lead", ".dot", "tab%09", "a".repeat(257),
        "semi;colon", "quote%22"}) {
      WhiskClient.Reply r = guest.put(ACTIONS + name, nodeAction(HELLO));
      assertTrue(r.status() == 400 || r.status() == 404, () -> name + " -> " + r);
      assertError(r, r.status());
    }
    // dot segments are resolved as RFC 3986 says; they can never leave what the caller is entitled to
    for (String trick : new String[] {"ok/..", "..", "%2E%2E", "../../triggers/t"}) {
      WhiskClient.Reply r = guest.put(ACTIONS + trick, nodeAction(HELLO));
      assertTrue(r.status() >= 400 && r.status() < 500, () -> trick + " -> " + r);
      assertError(r, r.status());
    }
    assertError(guest.get(ACTIONS + "ok"), 404);
    assertError(guest.put(ACTIONS + "../../other/actions/sneaky", nodeAction(HELLO)), 403);
    assertError(guest.put(ACTIONS + "%2E%2E/%2E%2E/other/actions/sneaky", nodeAction(HELLO)), 403);
    assertEquals(200, guest.put(ACTIONS + unique("with space") .replace(" ", "%20") + "x", nodeAction(HELLO)).status());
    assertEquals(200, guest.put(ACTIONS + unique("a@b.c&d") + "e", nodeAction(HELLO)).status());
  }

  @Test
  void sequencesAreChecked() {
    String a = unique("seqa");
    String b = unique("seqb");
    guest.put(ACTIONS + a, nodeAction(HELLO));
    guest.put(ACTIONS + b, nodeAction(HELLO));
    String seq = unique("seq");
    JsonObject s = guest.put(ACTIONS + seq, sequence("/_/" + a, b)).json();
    assertEquals(new JsonArray().add("/guest/" + a).add("/guest/" + b), s.getJsonObject("exec").getJsonArray("components"));
    assertEquals("sequence", s.getJsonObject("exec").getString("kind"));
    assertError(guest.put(ACTIONS + unique("seq"), sequence("/guest/nope")), 400, "Sequence component does not exist.");
    assertError(guest.put(ACTIONS + unique("seq"), new JsonObject().put("exec",
        new JsonObject().put("kind", "sequence").put("components", new JsonArray()))), 400, "No component specified");
    assertError(guest.put(ACTIONS + seq + "?overwrite=true", sequence(a, seq)), 400, "Sequence may not refer to itself.");
    String[] many = new String[51];
    java.util.Arrays.fill(many, a);
    assertError(guest.put(ACTIONS + unique("long"), sequence(many)), 400, "Too many actions in the sequence.");
    String nested = unique("nested");
    String[] thirty = new String[30];
    java.util.Arrays.fill(thirty, a);
    guest.put(ACTIONS + nested, sequence(thirty));
    assertError(guest.put(ACTIONS + unique("outer"), sequence(nested, nested)), 400, "Too many actions in the sequence.");
    assertError(guest.put(ACTIONS + unique("seq"), new JsonObject().put("exec",
        new JsonObject().put("kind", "sequence").put("components", new JsonArray().add(3)))), 400);
  }

  @Test
  void actionsInPackages() {
    String pkg = unique("pkg");
    assertEquals(200, guest.put("/api/v1/namespaces/_/packages/" + pkg, new JsonObject()).status());
    JsonObject a = guest.put(ACTIONS + pkg + "/inner", nodeAction(HELLO)).json();
    assertEquals("guest/" + pkg, a.getString("namespace"));
    assertEquals("inner", a.getString("name"));
    JsonArray listed = guest.get(ACTIONS + pkg + "/").array();
    assertEquals(1, listed.size());
    assertEquals("guest/" + pkg, listed.getJsonObject(0).getString("namespace"));
    assertTrue(guest.get("/api/v1/namespaces/_/actions?limit=0").array().stream()
        .anyMatch(o -> ((JsonObject) o).getString("namespace").equals("guest/" + pkg)), "namespace listing includes packaged actions");
    assertError(guest.put(ACTIONS + unique("nopkg") + "/x", nodeAction(HELLO)), 404);
    String binding = unique("bind");
    guest.put("/api/v1/namespaces/_/packages/" + binding, new JsonObject().put("binding",
        new JsonObject().put("namespace", "_").put("name", pkg)));
    assertError(guest.put(ACTIONS + binding + "/x", nodeAction(HELLO)), 400, "Operation not permitted on package binding.");
    assertEquals(200, guest.get(ACTIONS + binding + "/inner").status(), "an action is readable through a binding");
    assertEquals(1, guest.get(ACTIONS + binding + "/").array().size(), "a binding lists its package's actions");
    assertError(guest.delete(ACTIONS + binding + "/inner"), 400);
  }

  @Test
  void anotherNamespaceIsForbidden() {
    String name = unique("mine");
    guest.put(ACTIONS + name, nodeAction(HELLO));
    assertError(other.get("/api/v1/namespaces/guest/actions/" + name), 403,
        "The supplied authentication is not authorized to access 'guest/" + name + "'.");
    assertError(other.put("/api/v1/namespaces/guest/actions/" + name + "?overwrite=true", nodeAction(HELLO)), 403);
    assertError(other.delete("/api/v1/namespaces/guest/actions/" + name), 403);
    assertEquals(200, guest.get(ACTIONS + name).status());
  }

  @Test
  void aNameHoldsOneEntity() {
    String name = unique("clash");
    guest.put("/api/v1/namespaces/_/triggers/" + name, new JsonObject());
    assertError(guest.put(ACTIONS + name, nodeAction(HELLO)), 409);
    assertError(guest.get(ACTIONS + name), 409, "Resource by this name exists but is not in this collection.");
  }

  private static JsonObject sequence(String... components) {
    JsonArray c = new JsonArray();
    for (String s : components) {
      c.add(s);
    }
    return new JsonObject().put("exec", new JsonObject().put("kind", "sequence").put("components", c));
  }
}
