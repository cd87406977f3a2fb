package io.edgewhisk.sync.invoker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.sync.push.ActivationRecords;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompletionTest {
  static final JsonObject INSTANCE = Completion.instance(3, "2048 MB");

  @Test
  void theCombinedMessageCarriesTheActivationWithoutItsId() {
    InvokerMessage m = InvokerMessage.parse(Messages.bytes(Messages.activation(ActivationRecords.id(1))));
    JsonObject c = Completion.of(m.transid(), ActivationRecords.record("fleet", 1), "gw-1", INSTANCE);
    assertEquals(Set.of("transid", "response", "isSystemError", "instance"), c.fieldNames());
    assertEquals(m.transid(), c.getJsonArray("transid"));
    assertEquals(false, c.getBoolean("isSystemError"));
    assertEquals(new JsonObject("""
        {"instance":3,"userMemory":"2048 MB","instanceType":"invoker","tags":[],"dedicatedNamespaces":[]}"""),
        c.getJsonObject("instance"));
    JsonObject a = c.getJsonObject("response");
    assertFalse(a.containsKey("_id"));
    assertEquals(ActivationRecords.id(1), a.getString("activationId"));
    assertEquals("fleet", a.getString("namespace"));
    assertEquals("hello", a.getString("name"));
    assertEquals("alice", a.getString("subject"));
    assertEquals(1733390000000L, a.getLong("start"));
    assertEquals(1733390000042L, a.getLong("end"));
    assertEquals(42L, a.getLong("duration"));
    // OpenWhisk's ActivationResponse: status code and result, no API-only status/success
    assertEquals(new JsonObject().put("statusCode", 0).put("result", new JsonObject().put("greeting", "hi 1")).put("size", 22),
        a.getJsonObject("response"));
    assertEquals(1, a.getJsonArray("logs").size());
    assertEquals("0.0.1", a.getString("version"));
    assertEquals(false, a.getBoolean("publish"));
    assertTrue(a.getJsonArray("annotations").contains(new JsonObject().put("key", "edge-device").put("value", "gw-1")));
  }

  @Test
  void aWhiskErrorIsASystemError() {
    JsonObject record = ActivationRecords.record("fleet", 2);
    record.getJsonObject("response").put("statusCode", 3);
    assertTrue(Completion.of(new JsonArray().add("t").add(1), record, "gw-1", INSTANCE).getBoolean("isSystemError"));
    record.getJsonObject("response").put("statusCode", 2);
    assertFalse(Completion.of(new JsonArray().add("t").add(1), record, "gw-1", INSTANCE).getBoolean("isSystemError"));
  }

  @Test
  void aRefusalIsOpenWhisksFallbackActivation() {
    JsonObject o = Messages.activation(ActivationRecords.id(3)).put("cause", ActivationRecords.id(4));
    InvokerMessage m = InvokerMessage.parse(Messages.bytes(o));
    JsonObject c = Completion.refused(m, Completion.APPLICATION_ERROR, "no", 1733390000500L, "gw-1", INSTANCE);
    assertEquals(false, c.getBoolean("isSystemError"));
    JsonObject a = c.getJsonObject("response");
    assertEquals(new JsonObject().put("statusCode", 1).put("result", new JsonObject().put("error", "no")), a.getJsonObject("response"));
    assertEquals(ActivationRecords.id(3), a.getString("activationId"));
    assertEquals(ActivationRecords.id(4), a.getString("cause"));
    assertEquals("fleet", a.getString("namespace"));
    assertEquals("count", a.getString("name"));
    assertEquals("bob", a.getString("subject"));
    assertEquals("0.0.2", a.getString("version"));
    assertEquals(1733390000500L, a.getLong("start"));
    assertEquals(1733390000500L, a.getLong("end"));
    assertEquals(0L, a.getLong("duration"));
    assertEquals(new JsonArray(), a.getJsonArray("logs"));
    assertTrue(a.getJsonArray("annotations").contains(new JsonObject().put("key", "path").put("value", "fleet/count")));
    assertTrue(Completion.refused(m, Completion.WHISK_ERROR, "down", 1, "gw-1", INSTANCE).getBoolean("isSystemError"));
  }

  @Test
  void theShrunkFormCarriesOnlyTheActivationId() {
    JsonObject c = Completion.of(new JsonArray().add("t").add(1), ActivationRecords.record("fleet", 5), "gw-1", INSTANCE);
    JsonObject shrunk = Completion.shrunk(c);
    assertEquals(ActivationRecords.id(5), shrunk.getString("response"));
    assertEquals(c.getJsonArray("transid"), shrunk.getJsonArray("transid"));
    assertEquals(c.getBoolean("isSystemError"), shrunk.getBoolean("isSystemError"));
    assertEquals(INSTANCE, shrunk.getJsonObject("instance"));
    assertTrue(c.getValue("response") instanceof JsonObject, "the original is left as it was");
  }
}
