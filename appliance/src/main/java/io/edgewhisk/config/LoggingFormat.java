package io.edgewhisk.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.Locale;

/** How log lines look ({@code edgewhisk.logging.format}): for a person, or JSON lines for a machine. */
public enum LoggingFormat {
  TEXT,
  JSON;

  public static LoggingFormat from(Config root) {
    String path = "edgewhisk.logging.format";
    return parse(root.getString(path)).orElseThrow(() ->
        new ConfigException.BadValue(root.origin(), path, "must be text or json, was '" + root.getString(path) + "'"));
  }

  static java.util.Optional<LoggingFormat> parse(String value) {
    if (value == null) {
      return java.util.Optional.empty();
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "text" -> java.util.Optional.of(TEXT);
      case "json" -> java.util.Optional.of(JSON);
      default -> java.util.Optional.empty();
    };
  }
}
