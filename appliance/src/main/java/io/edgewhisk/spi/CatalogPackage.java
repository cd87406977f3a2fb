package io.edgewhisk.spi;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * A package a plugin adds to {@code /whisk.system} (published, like OpenWhisk's catalog), with its
 * annotations ({@code description}, {@code parameters}) and its actions. Installed or upgraded with the
 * built-in catalog at start-up.
 */
public record CatalogPackage(String name, JsonObject annotations, List<CatalogAction> actions) {
  public CatalogPackage {
    Objects.requireNonNull(name, "name");
    annotations = annotations == null ? new JsonObject() : annotations.copy();
    actions = List.copyOf(actions);
  }

  @Override
  public JsonObject annotations() {
    return annotations.copy();
  }
}
