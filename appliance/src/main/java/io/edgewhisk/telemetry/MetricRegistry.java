package io.edgewhisk.telemetry;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * The metrics the core's parts and the plugins write into, rendered in Prometheus' text format by
 * {@code /metrics}. Our own small registry rather than Micrometer: the appliance needs three metric kinds and
 * one exposition format, and Micrometer's registry, meters and Prometheus client would add several hundred
 * classes to an idle process that issue 12 holds to 80 MB. Updates are lock-free adders; rendering walks the
 * metrics in name order.
 */
public final class MetricRegistry {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private final Map<String, Metric> metrics = new ConcurrentSkipListMap<>();

  /** A counter, created on first use; the same name answers the same counter. */
  public Metric.Counter counter(String name, String help, String... labelNames) {
    return register(name, Metric.Counter.class, () -> new Metric.Counter(name, help, labels(labelNames)));
  }

  /** A gauge the caller sets. */
  public Metric.Gauge gauge(String name, String help, String... labelNames) {
    return register(name, Metric.Gauge.class, () -> new Metric.Gauge(name, help, labels(labelNames)));
  }

  /** A gauge read from {@code value} at each scrape. */
  public void gauge(String name, String help, DoubleSupplier value) {
    Objects.requireNonNull(value, "value");
    register(name, Metric.Supplied.class, () -> new Metric.Supplied(name, help, value));
  }

  /** A histogram over {@code buckets} (ascending upper bounds; +Inf is added). */
  public Metric.Histogram histogram(String name, String help, double[] buckets, String... labelNames) {
    return register(name, Metric.Histogram.class, () -> new Metric.Histogram(name, help, buckets, labels(labelNames)));
  }

  /** Appends every metric in Prometheus' text format (version 0.0.4). */
  public void render(StringBuilder out) {
    metrics.values().forEach(m -> m.render(out));
  }

  private <M extends Metric> M register(String name, Class<M> kind, java.util.function.Supplier<M> make) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad metric name '" + name + "'");
    }
    Metric m = metrics.computeIfAbsent(name, n -> make.get());
    if (!kind.isInstance(m)) {
      throw new IllegalArgumentException("metric " + name + " is already a " + m.type());
    }
    return kind.cast(m);
  }

  private static List<String> labels(String... names) {
    for (String n : names) {
      if (n == null || !LABEL.matcher(n).matches() || n.startsWith("__") || n.equals("le")) {
        throw new IllegalArgumentException("bad label name '" + n + "'");
      }
    }
    return List.of(names);
  }

  /** For metrics whose series live in a concurrent map keyed by their label values. */
  static <S> Map<List<String>, S> seriesMap() {
    return new ConcurrentHashMap<>();
  }
}
