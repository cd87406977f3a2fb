package io.edgewhisk.telemetry;

import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationResponse;
import java.util.Objects;

/**
 * Metrics of finished activations under OpenWhisk's names (its user-events service's): activations by
 * namespace, kind and status, cold starts, and wait, init and run time, plus the end-to-end time (wait and
 * run) that OpenWhisk has no metric for. Labels are bounded: namespaces and kinds are few on a gateway and
 * the registry caps each metric's series; action names are left out on purpose (they are unbounded).
 */
public final class ActivationMetrics {
  static final double[] SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

  private final Metric.Counter activations;
  private final Metric.Counter coldStarts;
  private final Metric.Histogram waitTime;
  private final Metric.Histogram initTime;
  private final Metric.Histogram duration;
  private final Metric.Histogram endToEnd;

  public ActivationMetrics(MetricRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    activations = registry.counter("openwhisk_action_activations_total",
        "finished activations by namespace, action kind and status", "namespace", "kind", "status");
    coldStarts = registry.counter("openwhisk_action_coldStarts_total",
        "activations that initialized their container (/init) first", "namespace");
    waitTime = registry.histogram("openwhisk_action_waitTime_seconds",
        "time from arrival until a container took the activation", SECONDS, "kind");
    initTime = registry.histogram("openwhisk_action_initTime_seconds", "time of the container's /init", SECONDS, "kind");
    duration = registry.histogram("openwhisk_action_duration_seconds",
        "time of the action's run (with /init when there was one), as the record's duration", SECONDS, "kind");
    endToEnd = registry.histogram("edgewhisk_action_end_to_end_seconds",
        "wait time plus duration: what the caller of a blocking invocation waited", SECONDS, "kind");
  }

  /** Counts one finished activation record (the invoker's, a sequence's or a trigger's). */
  public void recorded(Activation a) {
    Object k = a.annotations().get("kind");
    String kind = k instanceof String s ? s : a.annotations().has("topmost") || a.annotations().has("components")
        ? "sequence" : "none";
    activations.add(1, a.namespace(), kind, status(a.response().statusCode()));
    double wait = millis(a.annotations().get("waitTime"));
    double init = millis(a.annotations().get("initTime"));
    if (a.annotations().has("initTime")) {
      coldStarts.add(1, a.namespace());
      initTime.observe(init, kind);
    }
    if (a.annotations().has("waitTime")) {
      waitTime.observe(wait, kind);
      duration.observe(a.duration() / 1000.0, kind);
      endToEnd.observe(wait + a.duration() / 1000.0, kind);
    }
  }

  /** OpenWhisk's names of the four status codes. */
  static String status(int code) {
    return switch (code) {
      case ActivationResponse.SUCCESS -> "success";
      case ActivationResponse.APPLICATION_ERROR -> "application_error";
      case ActivationResponse.DEVELOPER_ERROR -> "developer_error";
      default -> "internal_error";
    };
  }

  private static double millis(Object v) {
    return v instanceof Number n ? Math.max(0, n.doubleValue()) / 1000.0 : 0;
  }
}
