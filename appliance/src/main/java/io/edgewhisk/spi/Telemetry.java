package io.edgewhisk.spi;

import java.util.function.DoubleSupplier;

/**
 * The plugin's metrics and health. Metric names are prefixed with {@code edgewhisk_<plugin>_} and must be
 * {@code [a-z_][a-z0-9_]*}; they appear in {@code /metrics} (Prometheus' text format) with their help text.
 * Asking twice for the same name answers the same metric (a different kind fails). Label names, when given,
 * are fixed per metric; each distinct set of label values is a series of its own, so keep them few (at most
 * {@value #MAX_SERIES} per metric; more are refused, and counted once in the log). Updating a metric is a
 * few atomic operations, safe from any thread.
 */
public interface Telemetry {
  int MAX_SERIES = 1000;

  Counter counter(String name, String help, String... labelNames);

  /** A gauge read at each scrape from {@code value} (called on the scraping event loop: keep it cheap). */
  void gauge(String name, String help, DoubleSupplier value);

  /** A gauge set by the plugin. */
  Gauge gauge(String name, String help, String... labelNames);

  /** A histogram with the given upper bounds (ascending; {@code +Inf} is implied), e.g. seconds. */
  Histogram histogram(String name, String help, double[] buckets, String... labelNames);

  /**
   * A health component named {@code <plugin>.<component>}, {@link HealthComponent.Status#OK} until the plugin
   * says otherwise; the appliance's health endpoint lists every component with its status and reason.
   */
  HealthComponent health(String component);

  /** A monotonic count. */
  interface Counter {
    default void increment() {
      add(1);
    }

    /** Adds {@code amount} (not negative). */
    void add(double amount);

    /** The series with these label values (as many as the label names). */
    Counter labels(String... values);
  }

  /** A value that goes up and down. */
  interface Gauge {
    void set(double value);

    void add(double delta);

    Gauge labels(String... values);
  }

  /** A distribution of observations in fixed buckets, with their count and sum. */
  interface Histogram {
    void observe(double value);

    Histogram labels(String... values);
  }
}
