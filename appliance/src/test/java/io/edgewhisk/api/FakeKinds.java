package io.edgewhisk.api;

import io.edgewhisk.controller.RuntimeKinds;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;

/** The kinds of the default runtimes manifest, without reading it. */
public final class FakeKinds implements RuntimeKinds {
  private static final Map<String, String> KINDS = Map.of(
      "nodejs:18", "nodejs:18", "nodejs:default", "nodejs:18",
      "python:3.11", "python:3.11", "python:default", "python:3.11");

  @Override
  public Optional<String> resolve(String kind) {
    return Optional.ofNullable(KINDS.get(kind));
  }

  @Override
  public JsonObject describe() {
    return new JsonObject().put("nodejs", new io.vertx.core.json.JsonArray().add(new JsonObject().put("kind", "nodejs:18")));
  }
}
