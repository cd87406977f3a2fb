package io.edgewhisk.api;

import io.edgewhisk.log.LogHealth;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/**
 * {@code GET /metrics} in Prometheus' text format: whether the appliance and its invoker are ready,
 * activations in flight, and the embedded log's health (bytes against the disk cap, records the cap
 * dropped before they were consumed, I/O failures).
 */
final class MetricsRoutes implements Routes {
  private final Metrics metrics;
  private final Readiness readiness;

  MetricsRoutes(Metrics metrics, Readiness readiness) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.readiness = Objects.requireNonNull(readiness, "readiness");
  }

  @Override
  public void mount(Router router) {
    router.get("/metrics").handler(this::scrape);
  }

  private void scrape(RoutingContext ctx) {
    StringBuilder out = new StringBuilder(1024);
    gauge(out, "edgewhisk_ready", "1 when the API takes requests", readiness.isReady() ? 1 : 0);
    gauge(out, "edgewhisk_invoker_ready", "1 when the container engine is reachable", metrics.invokerReady().get() ? 1 : 0);
    gauge(out, "edgewhisk_activations_in_flight", "admitted activations not yet finished", metrics.activationsInFlight().get());
    LogHealth log = metrics.log().get();
    gauge(out, "edgewhisk_log_bytes", "bytes the embedded log uses", log.bytes());
    gauge(out, "edgewhisk_log_disk_cap_bytes", "the embedded log's hard disk cap", log.diskCapBytes());
    out.append("# HELP edgewhisk_log_dropped_records_total records the disk cap removed before every consumer had them\n")
        .append("# TYPE edgewhisk_log_dropped_records_total counter\n")
        .append("edgewhisk_log_dropped_records_total ").append(log.droppedRecords()).append('\n');
    gauge(out, "edgewhisk_log_healthy", "0 after an I/O failure stopped a topic", log.healthy() ? 1 : 0);
    out.append("# HELP edgewhisk_log_topic_dropped_records_total per topic\n# TYPE edgewhisk_log_topic_dropped_records_total counter\n");
    log.topics().forEach((name, t) -> out.append("edgewhisk_log_topic_dropped_records_total{topic=\"").append(name)
        .append("\"} ").append(t.droppedRecords()).append('\n'));
    metrics.registry().render(out);
    ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4").end(out.toString());
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" gauge\n")
        .append(name).append(' ').append(value).append('\n');
  }
}
