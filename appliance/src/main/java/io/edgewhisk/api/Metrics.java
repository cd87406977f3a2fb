package io.edgewhisk.api;

import io.edgewhisk.log.LogHealth;
import io.edgewhisk.telemetry.MetricRegistry;
import java.util.function.Supplier;

/**
 * What {@code /metrics} reports, read at each scrape from the parts that know it; {@code registry} holds the
 * metrics the core's parts and the plugins ({@code edgewhisk_<plugin>_…}) write.
 */
public record Metrics(Supplier<LogHealth> log, Supplier<Boolean> invokerReady, Supplier<Integer> activationsInFlight,
    MetricRegistry registry) {

  /** Without metrics of parts and plugins (tests of the API alone). */
  public Metrics(Supplier<LogHealth> log, Supplier<Boolean> invokerReady, Supplier<Integer> activationsInFlight) {
    this(log, invokerReady, activationsInFlight, new MetricRegistry());
  }
}
