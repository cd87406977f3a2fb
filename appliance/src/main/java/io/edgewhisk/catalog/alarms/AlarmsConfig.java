package io.edgewhisk.catalog.alarms;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.edgewhisk.config.ConfigValues;
import java.time.Duration;
import java.util.Objects;

/**
 * The alarm feeds' settings ({@code edgewhisk.catalog.alarms}): how often a failed fire is retried and how
 * long apart, the longest the scheduler sleeps between looks at the clock, and whether cron patterns may have
 * a seconds field (OpenWhisk's {@code LIMIT_CRON_FIELDS}).
 */
public record AlarmsConfig(int retryAttempts, Duration retryDelay, Duration maxSleep, boolean limitCronFields) {
  public AlarmsConfig {
    Objects.requireNonNull(retryDelay, "retryDelay");
    Objects.requireNonNull(maxSleep, "maxSleep");
  }

  public static AlarmsConfig from(Config alarms) {
    Duration maxSleep = ConfigValues.duration(alarms, "max-sleep");
    if (maxSleep.isZero()) {
      throw new ConfigException.BadValue(alarms.origin(), "max-sleep", "must be positive");
    }
    return new AlarmsConfig(
        ConfigValues.intIn(alarms, "retry-attempts", 0, 100),
        ConfigValues.duration(alarms, "retry-delay"),
        maxSleep,
        alarms.getBoolean("limit-cron-fields"));
  }
}
