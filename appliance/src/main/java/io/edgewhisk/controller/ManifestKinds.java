package io.edgewhisk.controller;

import io.edgewhisk.invoker.RuntimesManifest;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Optional;

/** The kinds the runtimes manifest declares, as the controller validates actions against them. */
public final class ManifestKinds implements RuntimeKinds {
  private final RuntimesManifest manifest;

  public ManifestKinds(RuntimesManifest manifest) {
    this.manifest = Objects.requireNonNull(manifest, "manifest");
  }

  @Override
  public Optional<String> resolve(String kind) {
    return Optional.ofNullable(manifest.resolveKind(kind));
  }

  @Override
  public JsonObject describe() {
    return manifest.toJson().getJsonObject("runtimes", new JsonObject());
  }
}
