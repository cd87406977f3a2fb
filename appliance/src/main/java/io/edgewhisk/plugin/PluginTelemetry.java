package io.edgewhisk.plugin;

import io.edgewhisk.spi.HealthComponent;
import io.edgewhisk.spi.Telemetry;
import io.edgewhisk.telemetry.HealthRegistry;
import io.edgewhisk.telemetry.Metric;
import io.edgewhisk.telemetry.MetricRegistry;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/** A plugin's view of the registries: metric names under {@code edgewhisk_<plugin>_}, components under {@code <plugin>.}. */
final class PluginTelemetry implements Telemetry {
  private final String plugin;
  private final MetricRegistry metrics;
  private final HealthRegistry health;

  PluginTelemetry(String plugin, MetricRegistry metrics, HealthRegistry health) {
    this.plugin = Objects.requireNonNull(plugin, "plugin");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.health = Objects.requireNonNull(health, "health");
  }

  private String prefixed(String name) {
    if (name == null || !name.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("bad metric name '" + name + "': use [a-z_][a-z0-9_]*");
    }
    return "edgewhisk_" + plugin + "_" + name;
  }

  @Override
  public Counter counter(String name, String help, String... labelNames) {
    return new CounterView(metrics.counter(prefixed(name), help, labelNames), new String[0]);
  }

  @Override
  public void gauge(String name, String help, DoubleSupplier value) {
    metrics.gauge(prefixed(name), help, value);
  }

  @Override
  public Gauge gauge(String name, String help, String... labelNames) {
    return new GaugeView(metrics.gauge(prefixed(name), help, labelNames), new String[0]);
  }

  @Override
  public Histogram histogram(String name, String help, double[] buckets, String... labelNames) {
    return new HistogramView(metrics.histogram(prefixed(name), help, buckets, labelNames), new String[0]);
  }

  @Override
  public HealthComponent health(String component) {
    if (component == null || component.isBlank()) {
      throw new IllegalArgumentException("a health component needs a name");
    }
    return health.component(plugin + "." + component);
  }

  private record CounterView(Metric.Counter counter, String[] labels) implements Counter {
    @Override
    public void add(double amount) {
      counter.add(amount, labels);
    }

    @Override
    public Counter labels(String... values) {
      return new CounterView(counter, values.clone());
    }
  }

  private record GaugeView(Metric.Gauge gauge, String[] labels) implements Gauge {
    @Override
    public void set(double value) {
      gauge.set(value, labels);
    }

    @Override
    public void add(double delta) {
      gauge.add(delta, labels);
    }

    @Override
    public Gauge labels(String... values) {
      return new GaugeView(gauge, values.clone());
    }
  }

  private record HistogramView(Metric.Histogram histogram, String[] labels) implements Histogram {
    @Override
    public void observe(double value) {
      histogram.observe(value, labels);
    }

    @Override
    public Histogram labels(String... values) {
      return new HistogramView(histogram, values.clone());
    }
  }
}
