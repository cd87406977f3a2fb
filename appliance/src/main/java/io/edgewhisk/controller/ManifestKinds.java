package io.edgewhisk.controller;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The kinds a runtimes manifest ({@code runtimes.json}, OpenWhisk's format) declares. */
public final class ManifestKinds implements RuntimeKinds {
  private final JsonObject manifest;
  private final Map<String, String> kinds = new HashMap<>();

  public ManifestKinds(JsonObject manifest) {
    this.manifest = Objects.requireNonNull(manifest, "manifest").copy();
    JsonObject runtimes = manifest.getJsonObject("runtimes", new JsonObject());
    for (String language : runtimes.fieldNames()) {
      for (Object o : runtimes.getJsonArray(language, new JsonArray())) {
        JsonObject r = (JsonObject) o;
        String kind = r.getString("kind");
        kinds.put(kind, kind);
        if (r.getBoolean("default", false)) {
          kinds.put(language + ":default", kind);
        }
      }
    }
  }

  @Override
  public Optional<String> resolve(String kind) {
    return Optional.ofNullable(kinds.get(kind));
  }

  @Override
  public JsonObject describe() {
    return manifest.getJsonObject("runtimes", new JsonObject()).copy();
  }
}
