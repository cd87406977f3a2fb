package io.edgewhisk.api;

import io.edgewhisk.health.HealthCheck;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/**
 * {@code GET /health}, without authentication (as {@code /ping}): each part ok, degraded or down with a
 * reason, as JSON; 200 when all are ok, 503 otherwise, so that a monitor needs only the status code.
 */
final class HealthRoutes implements Routes {
  private final HealthCheck health;

  HealthRoutes(HealthCheck health) {
    this.health = Objects.requireNonNull(health, "health");
  }

  @Override
  public void mount(Router router) {
    router.get("/health").handler(this::health);
  }

  private void health(RoutingContext ctx) {
    health.check().onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      ctx.response().setStatusCode(ar.result().httpStatus()).putHeader("Content-Type", "application/json")
          .putHeader("Cache-Control", "no-store").end(ar.result().toJson().encode());
    });
  }
}
