package io.edgewhisk.config;

import com.typesafe.config.Config;
import io.edgewhisk.model.ActionLimits;

/** The bounds on an action's limits and the defaults for an action that sets none. */
public record ActionLimitBounds(
    int minTimeout, int maxTimeout,
    int minMemory, int maxMemory,
    int minLogs, int maxLogs,
    int minConcurrency, int maxConcurrency,
    ActionLimits defaults,
    int sequenceMaxLength) {

  public static ActionLimitBounds from(Config c) {
    return new ActionLimitBounds(
        (int) c.getDuration("timeout.min").toMillis(), (int) c.getDuration("timeout.max").toMillis(),
        c.getInt("memory.min"), c.getInt("memory.max"),
        c.getInt("logs.min"), c.getInt("logs.max"),
        c.getInt("concurrency.min"), c.getInt("concurrency.max"),
        new ActionLimits((int) c.getDuration("timeout.default").toMillis(), c.getInt("memory.default"),
            c.getInt("logs.default"), c.getInt("concurrency.default")),
        ConfigValues.intIn(c, "sequence-max-length", 1, 1000));
  }
}
