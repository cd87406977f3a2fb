package io.edgewhisk.health;

import com.typesafe.config.Config;
import io.edgewhisk.config.ConfigValues;

/** {@code edgewhisk.health}: when the disk turns degraded, and how long a part's check may take. */
public record HealthConfig(long diskDegradedBelow, long timeoutMillis) {

  /** Read and checked (positive sizes, a timeout of at least 1 ms) before anything starts. */
  public static HealthConfig from(Config raw) {
    long disk = ConfigValues.bytes(raw, "edgewhisk.health.disk-degraded-below");
    long timeout = ConfigValues.duration(raw, "edgewhisk.health.timeout").toMillis();
    if (timeout < 1) {
      throw new com.typesafe.config.ConfigException.BadValue(raw.origin(), "edgewhisk.health.timeout",
          "must be at least 1 ms");
    }
    return new HealthConfig(disk, timeout);
  }
}
