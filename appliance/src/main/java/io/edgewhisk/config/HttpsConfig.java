package io.edgewhisk.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Which listeners serve the API ({@code edgewhisk.api.plain-http}, {@code edgewhisk.api.https}): plain
 * HTTP on {@code api.port}, HTTPS on {@code https.port} with the configured certificate and key, or a
 * self-signed pair kept in {@code <state-dir>/tls} when none is configured.
 */
public record HttpsConfig(boolean plainHttp, boolean enabled, int port, Optional<Path> certificateFile,
    Optional<Path> keyFile, List<String> hostNames) {

  public static final String PREFIX = "edgewhisk.api.https";

  public HttpsConfig {
    hostNames = List.copyOf(hostNames);
  }

  /** From the {@code edgewhisk.api} section. */
  public static HttpsConfig from(Config api) {
    Config c = api.getConfig("https");
    Optional<Path> cert = file(c, "certificate-file");
    Optional<Path> key = file(c, "key-file");
    if (cert.isPresent() != key.isPresent()) {
      throw new ConfigException.BadValue(c.origin(), cert.isPresent() ? PREFIX + ".key-file" : PREFIX + ".certificate-file",
          "certificate-file and key-file are set together (or neither, for a self-signed pair)");
    }
    HttpsConfig https = new HttpsConfig(api.getBoolean("plain-http"), c.getBoolean("enabled"),
        ConfigValues.intIn(c, "port", 0, 65535), cert, key, c.getStringList("host-names"));
    if (!https.plainHttp() && !https.enabled()) {
      throw new ConfigException.BadValue(api.origin(), "edgewhisk.api.plain-http",
          "plain HTTP can be turned off only when HTTPS is on (edgewhisk.api.https.enabled = true)");
    }
    return https;
  }

  /** No HTTPS: the API on plain HTTP only. */
  public static HttpsConfig off() {
    return new HttpsConfig(true, false, 0, Optional.empty(), Optional.empty(), List.of());
  }

  private static Optional<Path> file(Config c, String key) {
    String v = c.getString(key);
    return v.isBlank() ? Optional.empty() : Optional.of(Path.of(v));
  }
}
