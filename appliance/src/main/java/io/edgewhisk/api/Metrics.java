package io.edgewhisk.api;

import io.edgewhisk.invoker.PoolStats;
import io.edgewhisk.log.LogHealth;
import io.edgewhisk.telemetry.MetricRegistry;
import java.util.function.Supplier;

/**
 * What {@code /metrics} reports, read at each scrape from the parts that know it; {@code registry} holds the
 * metrics the core's parts and the plugins ({@code edgewhisk_<plugin>_…}) write.
 */
public record Metrics(Supplier<LogHealth> log, Supplier<Boolean> invokerReady, Supplier<Integer> activationsInFlight,
    Supplier<Long> unappendedActivations, MetricRegistry registry, Supplier<PoolStats> pool) {

  /** Without the container pool's figures (tests of the API alone). */
  public Metrics(Supplier<LogHealth> log, Supplier<Boolean> invokerReady, Supplier<Integer> activationsInFlight,
      Supplier<Long> unappendedActivations, MetricRegistry registry) {
    this(log, invokerReady, activationsInFlight, unappendedActivations, registry, () -> PoolStats.NONE);
  }

  /** Without metrics of parts and plugins (tests of the API alone). */
  public Metrics(Supplier<LogHealth> log, Supplier<Boolean> invokerReady, Supplier<Integer> activationsInFlight) {
    this(log, invokerReady, activationsInFlight, () -> 0L, new MetricRegistry());
  }
}
