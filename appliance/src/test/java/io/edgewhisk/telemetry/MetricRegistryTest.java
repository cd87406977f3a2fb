package io.edgewhisk.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.spi.HealthComponent;
import org.junit.jupiter.api.Test;

/** The registry renders Prometheus' text format, bounds its series, and refuses what Prometheus would refuse. */
class MetricRegistryTest {

  private static String render(MetricRegistry r) {
    StringBuilder out = new StringBuilder();
    r.render(out);
    return out.toString();
  }

  @Test
  void countersGaugesAndHistogramsInTextFormat() {
    MetricRegistry r = new MetricRegistry();
    r.counter("edgewhisk_x_fires_total", "fires", "outcome").add(2, "fired");
    r.counter("edgewhisk_x_fires_total", "fires", "outcome").add(1, "we\"ird");
    r.gauge("edgewhisk_x_scheduled", "alarms held", () -> 3);
    Metric.Histogram h = r.histogram("edgewhisk_x_latency_seconds", "latency", new double[] {0.1, 1});
    h.observe(0.0625);
    h.observe(0.5);
    h.observe(4);
    assertEquals("""
        # HELP edgewhisk_x_fires_total fires
        # TYPE edgewhisk_x_fires_total counter
        edgewhisk_x_fires_total{outcome="fired"} 2
        edgewhisk_x_fires_total{outcome="we\\"ird"} 1
        # HELP edgewhisk_x_latency_seconds latency
        # TYPE edgewhisk_x_latency_seconds histogram
        edgewhisk_x_latency_seconds_bucket{le="0.1"} 1
        edgewhisk_x_latency_seconds_bucket{le="1"} 2
        edgewhisk_x_latency_seconds_bucket{le="+Inf"} 3
        edgewhisk_x_latency_seconds_sum 4.5625
        edgewhisk_x_latency_seconds_count 3
        # HELP edgewhisk_x_scheduled alarms held
        # TYPE edgewhisk_x_scheduled gauge
        edgewhisk_x_scheduled 3
        """, render(r));
  }

  @Test
  void badNamesKindsAndValuesAreRefused() {
    MetricRegistry r = new MetricRegistry();
    assertThrows(IllegalArgumentException.class, () -> r.counter("bad-name", "x"));
    r.counter("c_total", "x");
    assertThrows(IllegalArgumentException.class, () -> r.gauge("c_total", "x"));
    assertThrows(IllegalArgumentException.class, () -> r.counter("c_total", "x").add(-1));
    assertThrows(IllegalArgumentException.class, () -> r.counter("l_total", "x", "le"));
    assertThrows(IllegalArgumentException.class, () -> r.histogram("h", "x", new double[] {2, 1}));
  }

  @Test
  void aMetricKeepsAtMostItsSeriesBound() {
    MetricRegistry r = new MetricRegistry();
    Metric.Counter c = r.counter("many_total", "x", "id");
    for (int i = 0; i < Metric.MAX_SERIES + 50; i++) {
      c.add(1, "id" + i);
    }
    assertEquals(Metric.MAX_SERIES, render(r).lines().filter(l -> l.startsWith("many_total{")).count());
  }

  @Test
  void healthComponentsKeepTheirStateAndTheWorstIsOverall() {
    HealthRegistry health = new HealthRegistry();
    HealthComponent link = health.component("sync.link");
    assertEquals(HealthComponent.Status.OK, health.overall());
    link.degraded("central CouchDB answers slowly");
    health.component("mqtt.bridge").down("the remote broker refuses our credentials");
    assertEquals(HealthComponent.Status.DOWN, health.overall());
    assertEquals("central CouchDB answers slowly", health.snapshot().get("sync.link").reason());
    link.ok();
    assertTrue(health.snapshot().get("sync.link").reason() == null);
  }
}
