package io.edgewhisk.api;

import io.edgewhisk.config.ActionLimitBounds;
import io.edgewhisk.controller.RuntimeKinds;
import io.edgewhisk.model.NamespaceLimits;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/** The unauthenticated routes: {@code /}, {@code /ping}, {@code /api/v1} and its swagger document. */
final class InfoRoutes implements Routes {
  private static final long MB = 1024L * 1024L;
  private final Buffer root;
  private final Buffer apiInfo;
  private final Buffer swagger;
  private final Readiness readiness;

  InfoRoutes(NamespaceLimits defaults, ActionLimitBounds bounds, RuntimeKinds kinds, Buffer swagger, String build,
      Readiness readiness) {
    this.swagger = Objects.requireNonNull(swagger, "swagger");
    this.readiness = Objects.requireNonNull(readiness, "readiness");
    JsonObject limits = new JsonObject()
        .put("actions_per_minute", defaults.invocationsPerMinute())
        .put("triggers_per_minute", defaults.firesPerMinute())
        .put("concurrent_actions", defaults.concurrentInvocations())
        .put("sequence_length", bounds.sequenceMaxLength())
        .put("min_action_duration", bounds.minTimeout())
        .put("max_action_duration", bounds.maxTimeout())
        .put("min_action_memory", bounds.minMemory() * MB)
        .put("max_action_memory", bounds.maxMemory() * MB)
        .put("min_action_logs", bounds.minLogs() * MB)
        .put("max_action_logs", bounds.maxLogs() * MB);
    this.root = new JsonObject()
        .put("description", "OpenWhisk")
        .put("api_paths", new io.vertx.core.json.JsonArray().add("/api/v1"))
        .put("limits", limits)
        .put("runtimes", kinds.describe())
        .toBuffer();
    this.apiInfo = new JsonObject()
        .put("description", "OpenWhisk API")
        .put("api_version", "1.0.0")
        .put("api_version_path", "v1")
        .put("build", build)
        .put("buildno", build)
        .put("swagger_paths", new JsonObject().put("ui", "/docs").put("api-docs", "/api-docs"))
        .toBuffer();
  }

  @Override
  public void mount(Router router) {
    router.get("/").handler(ctx -> Replies.ok(ctx, root));
    router.get("/ping").handler(this::ping);
    router.getWithRegex("/api/v1/?").handler(ctx -> Replies.ok(ctx, apiInfo));
    router.get("/api/v1/api-docs").handler(ctx -> Replies.ok(ctx, swagger));
  }

  private void ping(RoutingContext ctx) {
    if (!readiness.isReady()) {
      ctx.response().setStatusCode(503).putHeader("Content-Type", "text/plain").end("not ready");
      return;
    }
    ctx.response().putHeader("Content-Type", "text/plain").end("pong");
  }
}
