package io.edgewhisk.sync.fakes;

import io.edgewhisk.spi.HealthComponent;
import io.edgewhisk.spi.Telemetry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/** The SPI's telemetry keeping every value by {@code name{labels}}, and health components by name. */
public final class RecordingTelemetry implements Telemetry {
  public final Map<String, Double> values = new ConcurrentHashMap<>();
  public final Map<String, Health> health = new ConcurrentHashMap<>();

  public double value(String series) {
    return values.getOrDefault(series, 0.0);
  }

  private String series(String name, String[] labels) {
    return labels.length == 0 ? name : name + "{" + String.join(",", labels) + "}";
  }

  @Override
  public Counter counter(String name, String help, String... labelNames) {
    return new Series(name, new String[0]);
  }

  @Override
  public void gauge(String name, String help, DoubleSupplier value) {
    values.put(name, value.getAsDouble());
  }

  @Override
  public Gauge gauge(String name, String help, String... labelNames) {
    return new Series(name, new String[0]);
  }

  @Override
  public Histogram histogram(String name, String help, double[] buckets, String... labelNames) {
    return new Series(name, new String[0]);
  }

  @Override
  public HealthComponent health(String component) {
    return health.computeIfAbsent(component, c -> new Health());
  }

  private final class Series implements Counter, Gauge, Histogram {
    private final String name;
    private final String[] labels;

    Series(String name, String[] labels) {
      this.name = name;
      this.labels = labels;
    }

    @Override
    public void add(double amount) {
      values.merge(series(name, labels), amount, Double::sum);
    }

    @Override
    public Series labels(String... values) {
      return new Series(name, values);
    }

    @Override
    public void set(double value) {
      values.put(series(name, labels), value);
    }

    @Override
    public void observe(double value) {
      add(value);
    }
  }

  /** A health component that remembers its last state. */
  public static final class Health implements HealthComponent {
    private volatile Status status = Status.OK;
    private volatile String reason;

    @Override
    public void ok() {
      status = Status.OK;
      reason = null;
    }

    @Override
    public void degraded(String reason) {
      status = Status.DEGRADED;
      this.reason = reason;
    }

    @Override
    public void down(String reason) {
      status = Status.DOWN;
      this.reason = reason;
    }

    @Override
    public Status status() {
      return status;
    }

    @Override
    public String reason() {
      return reason;
    }
  }
}
