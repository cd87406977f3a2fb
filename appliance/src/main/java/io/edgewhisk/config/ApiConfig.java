package io.edgewhisk.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/** The REST API's settings ({@code edgewhisk.api}). */
public record ApiConfig(
    String host,
    int port,
    String publicUrl,
    long maxBodyBytes,
    long maxEntityBytes,
    long maxParametersBytes,
    long maxPayloadBytes,
    long maxCodeBytes,
    long maxJsonValues,
    long maxRequestMemory,
    Duration idleTimeout,
    Duration requestTimeout,
    int maxConnections,
    int eventLoops,
    Duration drainTimeout) {

  /**
   * The event loops of the process: as configured, or by default one per two cores (at least one). The
   * action containers, Podman and conmon need the other cores: on a 2-core gateway one loop carries an
   * activation with no hand-off between loops and costs the JVM about a quarter less CPU than two.
   */
  public int eventLoopsFor(int cores) {
    return eventLoops > 0 ? eventLoops : Math.max(1, cores / 2);
  }

  /** {@link #eventLoopsFor} this machine's cores. */
  public int eventLoopsHere() {
    return eventLoopsFor(Runtime.getRuntime().availableProcessors());
  }

  /** Where the API listens when {@code host} is empty: everywhere, or only on loopback in dev mode. */
  public String listenHost(boolean dev) {
    return !host.isBlank() ? host : dev ? "127.0.0.1" : "0.0.0.0";
  }

  public static ApiConfig from(Config c) {
    ApiConfig api = new ApiConfig(
        c.getString("host").trim(),
        ConfigValues.intIn(c, "port", 0, 65535),
        c.getString("public-url"),
        ConfigValues.bytes(c, "max-body-bytes"),
        ConfigValues.bytes(c, "max-entity-bytes"),
        ConfigValues.bytes(c, "max-parameters-bytes"),
        ConfigValues.bytes(c, "max-payload-bytes"),
        ConfigValues.bytes(c, "max-code-bytes"),
        ConfigValues.intIn(c, "max-json-values", 1, Integer.MAX_VALUE),
        ConfigValues.bytes(c, "max-request-memory"),
        positive(c, "idle-timeout"),
        positive(c, "request-timeout"),
        ConfigValues.intIn(c, "max-connections", 1, 1_000_000),
        ConfigValues.intIn(c, "event-loops", 0, 256),
        ConfigValues.duration(c, "drain-timeout"));
    if (api.maxRequestMemory < 3 * api.maxBodyBytes) {
      // a body is accounted three times (its bytes, then its strings as characters): below this the
      // largest allowed request could never be taken
      throw new ConfigException.BadValue(c.origin(), "max-request-memory",
          "must be at least 3 x max-body-bytes (" + 3 * api.maxBodyBytes + "), was " + api.maxRequestMemory);
    }
    return api;
  }

  private static Duration positive(Config c, String path) {
    Duration d = ConfigValues.duration(c, path);
    if (d.isZero()) {
      throw new ConfigException.BadValue(c.origin(), path, "must be longer than 0");
    }
    return d;
  }
}
