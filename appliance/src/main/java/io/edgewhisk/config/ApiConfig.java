package io.edgewhisk.config;

import com.typesafe.config.Config;
import java.time.Duration;

/** The REST API's settings ({@code edgewhisk.api}). */
public record ApiConfig(
    String host,
    int port,
    String publicUrl,
    long maxBodyBytes,
    long maxParametersBytes,
    long maxPayloadBytes,
    long maxCodeBytes,
    int eventLoops,
    Duration drainTimeout) {

  public static ApiConfig from(Config c) {
    return new ApiConfig(
        c.getString("host"),
        ConfigValues.intIn(c, "port", 0, 65535),
        c.getString("public-url"),
        ConfigValues.bytes(c, "max-body-bytes"),
        ConfigValues.bytes(c, "max-parameters-bytes"),
        ConfigValues.bytes(c, "max-payload-bytes"),
        ConfigValues.bytes(c, "max-code-bytes"),
        ConfigValues.intIn(c, "event-loops", 0, 256),
        ConfigValues.duration(c, "drain-timeout"));
  }
}
