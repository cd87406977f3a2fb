package io.edgewhisk.api;

import io.edgewhisk.log.LogHealth;
import java.util.function.Supplier;

/** What {@code /metrics} reports, read at each scrape from the parts that know it. */
public record Metrics(Supplier<LogHealth> log, Supplier<Boolean> invokerReady, Supplier<Integer> activationsInFlight,
    Supplier<Long> unappendedActivations) {}
