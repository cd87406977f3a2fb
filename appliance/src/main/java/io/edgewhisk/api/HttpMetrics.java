package io.edgewhisk.api;

import io.edgewhisk.telemetry.Metric;
import io.edgewhisk.telemetry.MetricRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Counts HTTP requests by route and status ({@code edgewhisk_http_requests_total}) and times them. The route
 * label is the API's collection ({@code actions}, {@code web}, {@code ping}, …), never the path itself, so
 * that entity names cannot grow the label set.
 */
final class HttpMetrics implements Handler<RoutingContext> {
  private static final double[] SECONDS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60};
  private static final java.util.Set<String> COLLECTIONS =
      java.util.Set.of("actions", "packages", "triggers", "rules", "activations");

  private final Metric.Counter requests;
  private final Metric.Histogram seconds;

  HttpMetrics(MetricRegistry registry) {
    requests = registry.counter("edgewhisk_http_requests_total", "HTTP requests by route and status", "route",
        "method", "status");
    seconds = registry.histogram("edgewhisk_http_request_duration_seconds", "time to answer an HTTP request by route",
        SECONDS, "route");
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    String route = route(ctx.normalizedPath());
    String method = method(ctx.request().method().name());
    ctx.addEndHandler(ar -> {
      requests.add(1, route, method, Integer.toString(ctx.response().getStatusCode()));
      seconds.observe((System.nanoTime() - start) / 1e9, route);
    });
    ctx.next();
  }

  /** The bounded name of a path's route. */
  static String route(String path) {
    String[] s = path.split("/");
    // "", "api", "v1", "namespaces", ns, collection, ...
    if (s.length >= 4 && s[1].equals("api") && s[2].equals("v1")) {
      if (s[3].equals("namespaces")) {
        return s.length >= 6 && COLLECTIONS.contains(s[5]) ? s[5] : "namespaces";
      }
      return s[3].equals("web") ? "web" : "other";
    }
    return switch (path) {
      case "/ping", "/health", "/metrics" -> path.substring(1);
      case "/", "/api/v1", "/api/v1/", "/api/v1/api-docs" -> "info";
      default -> "other";
    };
  }

  private static String method(String m) {
    return switch (m) {
      case "GET", "PUT", "POST", "DELETE", "HEAD", "OPTIONS", "PATCH" -> m;
      default -> "other";
    };
  }
}
