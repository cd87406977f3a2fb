package io.edgewhisk.api;

import io.edgewhisk.invoker.PoolStats;
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
    out.append("# HELP edgewhisk_activations_unappended_total activation records that could not be appended to the activations topic\n")
        .append("# TYPE edgewhisk_activations_unappended_total counter\n")
        .append("edgewhisk_activations_unappended_total ").append(metrics.unappendedActivations().get()).append('\n');
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
    topics(out, log);
    pool(out, metrics.pool().get());
    metrics.registry().render(out);
    ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4").end(out.toString());
  }

  /** Each topic's bytes and records on disk, and each registered consumer's lag (records not yet committed). */
  private static void topics(StringBuilder out, LogHealth log) {
    var sorted = new java.util.TreeMap<>(log.topics());
    out.append("# HELP edgewhisk_log_topic_bytes bytes of the topic's segments\n# TYPE edgewhisk_log_topic_bytes gauge\n");
    sorted.forEach((name, t) -> out.append("edgewhisk_log_topic_bytes{topic=\"").append(name).append("\"} ")
        .append(t.bytes()).append('\n'));
    out.append("# HELP edgewhisk_log_topic_records records the topic holds on disk\n"
        + "# TYPE edgewhisk_log_topic_records gauge\n");
    sorted.forEach((name, t) -> out.append("edgewhisk_log_topic_records{topic=\"").append(name).append("\"} ")
        .append(t.endOffset() - t.startOffset()).append('\n'));
    out.append("# HELP edgewhisk_log_consumer_lag records of the topic its consumer has not committed\n"
        + "# TYPE edgewhisk_log_consumer_lag gauge\n");
    sorted.forEach((name, t) -> new java.util.TreeMap<>(t.committed()).forEach((consumer, offset) ->
        out.append("edgewhisk_log_consumer_lag{topic=\"").append(name).append("\",consumer=\"").append(consumer)
            .append("\"} ").append(Math.max(0, t.endOffset() - offset)).append('\n')));
  }

  /** OpenWhisk's invoker's container starts by state, and the pool's size, memory and paused containers. */
  private static void pool(StringBuilder out, PoolStats p) {
    out.append("# HELP openwhisk_counter_invoker_containerStart_total activations by how their container was had\n"
        + "# TYPE openwhisk_counter_invoker_containerStart_total counter\n")
        .append("openwhisk_counter_invoker_containerStart_total{containerState=\"cold\"} ").append(p.coldStarts()).append('\n')
        .append("openwhisk_counter_invoker_containerStart_total{containerState=\"prewarmed\"} ").append(p.stemCellStarts())
        .append('\n')
        .append("openwhisk_counter_invoker_containerStart_total{containerState=\"warm\"} ").append(p.warmStarts()).append('\n');
    gauge(out, "edgewhisk_invoker_containers", "containers in the pool", p.containers());
    gauge(out, "edgewhisk_invoker_memory_in_use_mb", "memory (MB) of the containers in the pool", p.memoryMb());
    gauge(out, "edgewhisk_invoker_containers_paused", "paused containers in the pool", p.paused());
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" gauge\n")
        .append(name).append(' ').append(value).append('\n');
  }
}
