package io.edgewhisk.telemetry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One metric of a {@link MetricRegistry}: a name, its help, fixed label names, and a series per distinct set
 * of label values (at most {@link #MAX_SERIES}; past that a series is refused with a warning, once, rather
 * than letting a label that carries, say, topic names grow memory without bound).
 */
public abstract sealed class Metric {
  public static final int MAX_SERIES = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(Metric.class);

  final String name;
  final String help;
  final List<String> labelNames;
  private volatile boolean warned;

  Metric(String name, String help, List<String> labelNames) {
    this.name = name;
    this.help = Objects.requireNonNull(help, "help");
    this.labelNames = List.copyOf(labelNames);
  }

  abstract String type();

  abstract void renderSeries(StringBuilder out);

  final void render(StringBuilder out) {
    out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type()).append('\n');
    renderSeries(out);
  }

  /** The series of these label values, made on first use; null when the metric is full. */
  final <S> S series(Map<List<String>, S> all, String[] values, Function<List<String>, S> make) {
    if (values.length != labelNames.size()) {
      throw new IllegalArgumentException(name + " has labels " + labelNames + ", not " + values.length + " values");
    }
    List<String> key = List.of(values);
    S s = all.get(key);
    if (s != null) {
      return s;
    }
    if (all.size() >= MAX_SERIES) {
      if (!warned) {
        warned = true;
        LOG.warn("metric {} has {} series; further label values are not recorded", name, MAX_SERIES);
      }
      return null;
    }
    return all.computeIfAbsent(key, make);
  }

  /**
   * One sample line. Kept small on purpose: written as one method of many appends (and the label values
   * escaped with {@code String.replace}), the JIT's optimizing compiler inlined ~8.6 KB of bytecode into it
   * once /metrics was read often (a monitor polling it), a 1.6 s compilation that held ~50 MB of native
   * memory while it ran: the peak of the process's resident memory under a burst of invocations.
   */
  static void sample(StringBuilder out, String name, List<String> labelNames, List<String> values, String extraLabel,
      String extraValue, double value) {
    out.append(name);
    if (!labelNames.isEmpty() || extraLabel != null) {
      char separator = '{';
      for (int i = 0; i < labelNames.size(); i++) {
        label(out, separator, labelNames.get(i), values.get(i));
        separator = ',';
      }
      if (extraLabel != null) {
        label(out, separator, extraLabel, extraValue);
      }
      out.append('}');
    }
    out.append(' ');
    value(out, value);
    out.append('\n');
  }

  /** {@code ,name="value"}, the value escaped as the text format asks (backslash, double quote, line feed). */
  private static void label(StringBuilder out, char separator, String name, String value) {
    out.append(separator).append(name).append('=').append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append('\\').append('\\');
        case '"' -> out.append('\\').append('"');
        case '\n' -> out.append('\\').append('n');
        default -> out.append(c);
      }
    }
    out.append('"');
  }

  private static void value(StringBuilder out, double v) {
    if (isWhole(v)) {
      out.append((long) v);
    } else {
      out.append(notWhole(v));
    }
  }

  static String format(double v) {
    return isWhole(v) ? Long.toString((long) v) : notWhole(v);
  }

  private static boolean isWhole(double v) {
    return v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15;
  }

  private static String notWhole(double v) {
    return Double.isInfinite(v) ? (v > 0 ? "+Inf" : "-Inf") : Double.toString(v);
  }

  static <S> List<Map.Entry<List<String>, S>> sorted(Map<List<String>, S> all) {
    List<Map.Entry<List<String>, S>> out = new ArrayList<>(all.entrySet());
    out.sort(Comparator.comparing(e -> String.join("\u0000", e.getKey())));
    return out;
  }

  /** A monotonic count. */
  public static final class Counter extends Metric {
    private final Map<List<String>, DoubleAdder> series = MetricRegistry.seriesMap();
    private final DoubleAdder unlabelled;

    Counter(String name, String help, List<String> labelNames) {
      super(name, help, labelNames);
      this.unlabelled = labelNames.isEmpty() ? series(series, new String[0], k -> new DoubleAdder()) : null;
    }

    @Override
    String type() {
      return "counter";
    }

    public void add(double amount) {
      add(unlabelledOrFail(unlabelled), amount);
    }

    /** Adds to the series of these label values. */
    public void add(double amount, String... labelValues) {
      add(series(series, labelValues, k -> new DoubleAdder()), amount);
    }

    private void add(DoubleAdder a, double amount) {
      if (amount < 0 || Double.isNaN(amount)) {
        throw new IllegalArgumentException("a counter only grows: " + amount);
      }
      if (a != null) {
        a.add(amount);
      }
    }

    /** The value of the series of these label values (0 if none). */
    public double value(String... labelValues) {
      DoubleAdder a = series.get(List.of(labelValues));
      return a == null ? 0 : a.sum();
    }

    @Override
    void renderSeries(StringBuilder out) {
      sorted(series).forEach(e -> sample(out, name, labelNames, e.getKey(), null, null, e.getValue().sum()));
    }
  }

  /** A value set by its owner. */
  public static final class Gauge extends Metric {
    private final Map<List<String>, AtomicLong> series = MetricRegistry.seriesMap();

    Gauge(String name, String help, List<String> labelNames) {
      super(name, help, labelNames);
      if (labelNames.isEmpty()) {
        series(series, new String[0], k -> new AtomicLong(Double.doubleToLongBits(0)));
      }
    }

    @Override
    String type() {
      return "gauge";
    }

    public void set(double value, String... labelValues) {
      AtomicLong a = series(series, labelValues, k -> new AtomicLong(Double.doubleToLongBits(0)));
      if (a != null) {
        a.set(Double.doubleToLongBits(value));
      }
    }

    public void add(double delta, String... labelValues) {
      AtomicLong a = series(series, labelValues, k -> new AtomicLong(Double.doubleToLongBits(0)));
      if (a != null) {
        a.accumulateAndGet(0, (bits, ignored) -> Double.doubleToLongBits(Double.longBitsToDouble(bits) + delta));
      }
    }

    public double value(String... labelValues) {
      AtomicLong a = series.get(List.of(labelValues));
      return a == null ? 0 : Double.longBitsToDouble(a.get());
    }

    @Override
    void renderSeries(StringBuilder out) {
      sorted(series).forEach(e -> sample(out, name, labelNames, e.getKey(), null, null,
          Double.longBitsToDouble(e.getValue().get())));
    }
  }

  /** A gauge read from a supplier at each scrape. */
  static final class Supplied extends Metric {
    private final DoubleSupplier value;

    Supplied(String name, String help, DoubleSupplier value) {
      super(name, help, List.of());
      this.value = value;
    }

    @Override
    String type() {
      return "gauge";
    }

    @Override
    void renderSeries(StringBuilder out) {
      double v;
      try {
        v = value.getAsDouble();
      } catch (RuntimeException e) {
        LoggerFactory.getLogger(Metric.class).debug("gauge {} failed", name, e);
        return;
      }
      sample(out, name, labelNames, List.of(), null, null, v);
    }
  }

  /** Observations counted in fixed buckets, with their sum and count. */
  public static final class Histogram extends Metric {
    private final double[] bounds;
    private final Map<List<String>, Cells> series = MetricRegistry.seriesMap();

    Histogram(String name, String help, double[] buckets, List<String> labelNames) {
      super(name, help, labelNames);
      this.bounds = buckets.clone();
      for (int i = 0; i < bounds.length; i++) {
        if (Double.isNaN(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
          throw new IllegalArgumentException("histogram " + name + ": buckets must ascend: " + Arrays.toString(buckets));
        }
      }
      if (labelNames.isEmpty()) {
        series(series, new String[0], k -> new Cells(bounds.length));
      }
    }

    @Override
    String type() {
      return "histogram";
    }

    public void observe(double value, String... labelValues) {
      Cells c = series(series, labelValues, k -> new Cells(bounds.length));
      if (c == null) {
        return;
      }
      int i = 0;
      while (i < bounds.length && value > bounds[i]) {
        i++;
      }
      c.buckets[i].increment();
      c.sum.add(value);
    }

    /** How many observations the series has. */
    public long count(String... labelValues) {
      Cells c = series.get(List.of(labelValues));
      if (c == null) {
        return 0;
      }
      long n = 0;
      for (LongAdder b : c.buckets) {
        n += b.sum();
      }
      return n;
    }

    @Override
    void renderSeries(StringBuilder out) {
      for (var e : sorted(series)) {
        long cumulative = 0;
        for (int i = 0; i <= bounds.length; i++) {
          cumulative += e.getValue().buckets[i].sum();
          sample(out, name + "_bucket", labelNames, e.getKey(), "le", i < bounds.length ? format(bounds[i]) : "+Inf",
              cumulative);
        }
        sample(out, name + "_sum", labelNames, e.getKey(), null, null, e.getValue().sum.sum());
        sample(out, name + "_count", labelNames, e.getKey(), null, null, cumulative);
      }
    }

    private static final class Cells {
      final LongAdder[] buckets;
      final DoubleAdder sum = new DoubleAdder();

      Cells(int bounds) {
        buckets = new LongAdder[bounds + 1];
        for (int i = 0; i < buckets.length; i++) {
          buckets[i] = new LongAdder();
        }
      }
    }
  }

  private static DoubleAdder unlabelledOrFail(DoubleAdder a) {
    if (a == null) {
      throw new IllegalArgumentException("this counter has labels: use add(amount, labelValues)");
    }
    return a;
  }
}
