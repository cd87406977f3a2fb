package io.edgewhisk.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.ActivationResponse;
import io.edgewhisk.model.KeyValue;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.SemVer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Finished activation records move OpenWhisk's activation metrics, by namespace, kind and status. */
class ActivationMetricsTest {
  private final MetricRegistry registry = new MetricRegistry();
  private final ActivationMetrics metrics = new ActivationMetrics(registry);

  private static Activation record(String ns, ActivationResponse r, long duration, List<KeyValue> annotations) {
    return new Activation(ns, "a", ns, ActivationId.random(), 1000, 1000 + duration, duration, null, r, List.of(),
        new KeyValues(annotations), SemVer.INITIAL, false);
  }

  @Test
  void countsByNamespaceKindAndStatusWithColdStartsAndTimes() {
    metrics.recorded(record("guest", ActivationResponse.success(null), 120,
        List.of(KeyValue.of("kind", "nodejs:18"), KeyValue.of("waitTime", 30), KeyValue.of("initTime", 80))));
    metrics.recorded(record("guest", ActivationResponse.success(null), 5,
        List.of(KeyValue.of("kind", "nodejs:18"), KeyValue.of("waitTime", 1))));
    metrics.recorded(record("other", ActivationResponse.developerError("bad"), 5,
        List.of(KeyValue.of("kind", "python:3"), KeyValue.of("waitTime", 1))));
    metrics.recorded(record("guest", ActivationResponse.success(null), 0, List.of()));

    var activations = registry.counter("openwhisk_action_activations_total", "", "namespace", "kind", "status");
    assertEquals(2, activations.value("guest", "nodejs:18", "success"));
    assertEquals(1, activations.value("other", "python:3", "developer_error"));
    assertEquals(1, activations.value("guest", "none", "success"), "a record without a kind (a trigger's)");
    assertEquals(1, registry.counter("openwhisk_action_coldStarts_total", "", "namespace").value("guest"));
    assertEquals(0, registry.counter("openwhisk_action_coldStarts_total", "", "namespace").value("other"));
    double[] b = ActivationMetrics.SECONDS;
    assertEquals(2, registry.histogram("openwhisk_action_waitTime_seconds", "", b, "kind").count("nodejs:18"));
    assertEquals(1, registry.histogram("openwhisk_action_initTime_seconds", "", b, "kind").count("nodejs:18"));
    assertEquals(2, registry.histogram("openwhisk_action_duration_seconds", "", b, "kind").count("nodejs:18"));
    assertEquals(1, registry.histogram("edgewhisk_action_end_to_end_seconds", "", b, "kind").count("python:3"));

    StringBuilder out = new StringBuilder();
    registry.render(out);
    String text = out.toString();
    assertTrue(text.contains("openwhisk_action_activations_total{namespace=\"guest\",kind=\"nodejs:18\",status=\"success\"} 2"),
        text);
    // 30 ms wait + 120 ms run: end to end 0.15 s, in the 0.25 s bucket but not the 0.1 s one
    assertTrue(text.contains("edgewhisk_action_end_to_end_seconds_bucket{kind=\"nodejs:18\",le=\"0.1\"} 1"), text);
    assertTrue(text.contains("edgewhisk_action_end_to_end_seconds_bucket{kind=\"nodejs:18\",le=\"0.25\"} 2"), text);
  }

  @Test
  void statusNamesAreOpenWhisks() {
    assertEquals("success", ActivationMetrics.status(0));
    assertEquals("application_error", ActivationMetrics.status(1));
    assertEquals("developer_error", ActivationMetrics.status(2));
    assertEquals("internal_error", ActivationMetrics.status(3));
  }
}
