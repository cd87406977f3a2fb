package io.edgewhisk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The route label is bounded: a collection's name, never an entity's. */
class HttpMetricsTest {
  @Test
  void routesAreCollectionsNotPaths() {
    assertEquals("actions", HttpMetrics.route("/api/v1/namespaces/_/actions/my-secret-name"));
    assertEquals("actions", HttpMetrics.route("/api/v1/namespaces/guest/actions"));
    assertEquals("activations", HttpMetrics.route("/api/v1/namespaces/_/activations/abc/logs"));
    assertEquals("namespaces", HttpMetrics.route("/api/v1/namespaces"));
    assertEquals("namespaces", HttpMetrics.route("/api/v1/namespaces/_/anything-else"));
    assertEquals("web", HttpMetrics.route("/api/v1/web/guest/default/hello.json"));
    assertEquals("ping", HttpMetrics.route("/ping"));
    assertEquals("health", HttpMetrics.route("/health"));
    assertEquals("info", HttpMetrics.route("/api/v1"));
    assertEquals("other", HttpMetrics.route("/api/v1/something"));
    assertEquals("other", HttpMetrics.route("/favicon-" + System.nanoTime()));
  }
}
