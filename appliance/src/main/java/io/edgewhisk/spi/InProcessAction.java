package io.edgewhisk.spi;

import io.edgewhisk.model.Identity;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The code of a {@link CatalogAction} that is not a feed: runs in the appliance with the merged arguments
 * as the invoking identity; its activation is recorded like any other. A result with {@code error} is an
 * application error, a failed future a developer error with its message. Must not block.
 */
@FunctionalInterface
public interface InProcessAction {
  Future<JsonObject> run(Identity who, JsonObject args);
}
