package io.edgewhisk.store.sqlite;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.edgewhisk.config.ConfigValues;
import java.time.Duration;
import java.util.Objects;

/** The SQLite store's settings ({@code edgewhisk.store}), validated once. */
public record StoreConfig(
    String database,
    int readers,
    Duration busyTimeout,
    int activationBatchSize,
    Duration activationBatchDelay,
    Duration activationBatchDelayUnderLoad,
    Duration retentionAge,
    int retentionMaxPerNamespace,
    Duration retentionInterval,
    Duration subjectRefreshInterval) {

  public StoreConfig {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    Objects.requireNonNull(activationBatchDelay, "activationBatchDelay");
    Objects.requireNonNull(activationBatchDelayUnderLoad, "activationBatchDelayUnderLoad");
    Objects.requireNonNull(retentionAge, "retentionAge");
    Objects.requireNonNull(retentionInterval, "retentionInterval");
    Objects.requireNonNull(subjectRefreshInterval, "subjectRefreshInterval");
  }

  /** Reads the {@code edgewhisk.store} section. */
  public static StoreConfig from(Config store) {
    Config a = store.getConfig("activations");
    String database = store.getString("database");
    if (database.isBlank()) {
      throw new ConfigException.BadValue(store.origin(), "database", "must not be empty");
    }
    return new StoreConfig(
        database,
        ConfigValues.intIn(store, "readers", 1, 64),
        ConfigValues.duration(store, "busy-timeout"),
        ConfigValues.intIn(a, "batch-size", 1, 100_000),
        ConfigValues.duration(a, "batch-delay"),
        ConfigValues.duration(a, "batch-delay-under-load"),
        positive(a, "retention-age"),
        ConfigValues.intIn(a, "retention-max-per-namespace", 1, Integer.MAX_VALUE),
        positive(a, "retention-interval"),
        positive(store.getConfig("subjects"), "refresh-interval"));
  }

  /** The settings of {@code reference.conf}, for tests and tools. */
  public static StoreConfig defaults() {
    return from(com.typesafe.config.ConfigFactory.defaultReference().getConfig("edgewhisk.store"));
  }

  public StoreConfig withDatabase(String file) {
    return new StoreConfig(file, readers, busyTimeout, activationBatchSize, activationBatchDelay,
        activationBatchDelayUnderLoad, retentionAge, retentionMaxPerNamespace, retentionInterval, subjectRefreshInterval);
  }

  private static Duration positive(Config c, String path) {
    Duration d = ConfigValues.duration(c, path);
    if (d.isZero()) {
      throw new ConfigException.BadValue(c.origin(), path, "must be positive");
    }
    return d;
  }
}
