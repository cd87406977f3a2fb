package io.edgewhisk.sync.invoker;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** OpenWhisk ActivationMessages as a central controller writes them to an invoker topic. */
final class Messages {
  static final String UUID = "23bc46b1-71f6-4ed5-8c54-816aa4f8c502";
  static final String KEY = "123zO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP";

  private Messages() {}

  /** A message for {@code /fleet/count} in namespace {@code fleet}, as OpenWhisk 1.0's controller sends it. */
  static JsonObject activation(String activationId) {
    return new JsonObject()
        .put("transid", new JsonArray().add("sGkSXg5J8dWmeHaN3Zxk0sFXMr0Wd1Bo").add(1733390000000L))
        .put("action", new JsonObject().put("path", "fleet").put("name", "count").put("version", "0.0.2"))
        .put("revision", "2-2a5ac13f0e6c8c6d58b8ef7d1d2f4c4e")
        .put("user", new JsonObject().put("subject", "bob")
            .put("namespace", new JsonObject().put("name", "fleet").put("uuid", UUID))
            .put("authkey", new JsonObject().put("api_key", UUID + ":" + KEY))
            .put("rights", new JsonArray().add("READ").add("PUT").add("DELETE").add("ACTIVATE"))
            .put("limits", new JsonObject()))
        .put("activationId", activationId)
        .put("rootControllerIndex", new JsonObject().put("asString", "0").put("instanceType", "controller"))
        .put("blocking", true)
        .put("content", new JsonObject().put("n", 7))
        .put("initArgs", new JsonArray())
        .put("lockedArgs", new JsonObject());
  }

  static byte[] bytes(JsonObject o) {
    return o.toBuffer().getBytes();
  }
}
