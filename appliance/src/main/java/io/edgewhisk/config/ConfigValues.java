package io.edgewhisk.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/** Reads typed values out of Typesafe Config, failing with a message that names the key. */
public final class ConfigValues {
  private ConfigValues() {}

  public static int intIn(Config c, String path, int min, int max) {
    int v = get(c, path, () -> c.getInt(path));
    if (v < min || v > max) {
      throw new ConfigException.BadValue(c.origin(), path, "must be between " + min + " and " + max + ", was " + v);
    }
    return v;
  }

  public static long bytes(Config c, String path) {
    return bytesAtLeast(c, path, 1, "must be positive");
  }

  /** A size where 0 means "none" (e.g. no file at all). */
  public static long bytesOrNone(Config c, String path) {
    return bytesAtLeast(c, path, 0, "must be 0 (none) or a size");
  }

  private static long bytesAtLeast(Config c, String path, long min, String rule) {
    long v = get(c, path, () -> c.getBytes(path));
    if (v < min) {
      throw new ConfigException.BadValue(c.origin(), path, rule + ", was " + v);
    }
    return v;
  }

  public static Duration duration(Config c, String path) {
    Duration d = get(c, path, () -> c.getDuration(path));
    if (d.isNegative()) {
      throw new ConfigException.BadValue(c.origin(), path, "must not be negative");
    }
    return d;
  }

  private static <T> T get(Config c, String path, java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (ConfigException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ConfigException.BadValue(c.origin(), path, e.getMessage());
    }
  }
}
