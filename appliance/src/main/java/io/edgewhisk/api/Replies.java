package io.edgewhisk.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;

/** Writes JSON answers. */
final class Replies {
  private Replies() {}

  static void json(RoutingContext ctx, int status, Object body) {
    Buffer buffer = body instanceof Buffer b ? b : Json.encodeToBuffer(body);
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(buffer);
  }

  static void ok(RoutingContext ctx, Object body) {
    json(ctx, 200, body);
  }
}
