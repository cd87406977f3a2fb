package io.edgewhisk.catalog.alarms;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.Objects;

/**
 * The alarm feeds' settings ({@code edgewhisk.alarms}): how often a failed fire is retried and how long apart,
 * the longest the scheduler sleeps between looks at the clock, and whether cron patterns may have a seconds
 * field (OpenWhisk's {@code LIMIT_CRON_FIELDS}). A bad value fails with a message naming the key.
 */
public record AlarmsConfig(int retryAttempts, Duration retryDelay, Duration maxSleep, boolean limitCronFields) {
  private static final String SECTION = "edgewhisk.alarms.";

  public AlarmsConfig {
    Objects.requireNonNull(retryDelay, "retryDelay");
    Objects.requireNonNull(maxSleep, "maxSleep");
  }

  /** Reads the plugin's section ({@code edgewhisk.alarms}). */
  public static AlarmsConfig from(Config alarms) {
    try {
      Duration maxSleep = alarms.getDuration("max-sleep");
      if (maxSleep.isZero() || maxSleep.isNegative()) {
        throw new ConfigException.BadValue(alarms.origin(), SECTION + "max-sleep", "must be positive");
      }
      Duration retryDelay = alarms.getDuration("retry-delay");
      if (retryDelay.isNegative()) {
        throw new ConfigException.BadValue(alarms.origin(), SECTION + "retry-delay", "must not be negative");
      }
      int attempts = alarms.getInt("retry-attempts");
      if (attempts < 0 || attempts > 100) {
        throw new ConfigException.BadValue(alarms.origin(), SECTION + "retry-attempts",
            "must be between 0 and 100, was " + attempts);
      }
      return new AlarmsConfig(attempts, retryDelay, maxSleep, alarms.getBoolean("limit-cron-fields"));
    } catch (ConfigException.Missing | ConfigException.WrongType e) {
      throw new ConfigException.BadValue(alarms.origin(), SECTION + "…", e.getMessage(), e);
    }
  }
}
