package io.edgewhisk.spi;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * An action of a {@link CatalogPackage} that runs inside the appliance (exec kind {@code builtin}, as the
 * alarms' are). A {@code feed} action carries OpenWhisk's {@code feed} annotation, and the core speaks the
 * feed protocol for it, calling the {@link FeedProvider} the plugin provides; otherwise the plugin provides
 * an {@link InProcessAction}. Either is provided at start with {@link CatalogRegistry}, under
 * {@code <package>/<name>}.
 */
public record CatalogAction(String name, boolean feed, JsonObject annotations) {
  public CatalogAction {
    Objects.requireNonNull(name, "name");
    annotations = annotations == null ? new JsonObject() : annotations.copy();
  }

  @Override
  public JsonObject annotations() {
    return annotations.copy();
  }
}
