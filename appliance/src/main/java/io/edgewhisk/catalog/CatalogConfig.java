package io.edgewhisk.catalog;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.Objects;

/** The built-in catalog's settings ({@code edgewhisk.catalog}), validated once. */
public record CatalogConfig(boolean install, String nodejsKind) {
  public static final String DEFAULT_NODEJS_KIND = "nodejs:18";

  public CatalogConfig {
    Objects.requireNonNull(nodejsKind, "nodejsKind");
  }

  /** Reads {@code edgewhisk.catalog} from the whole configuration. */
  public static CatalogConfig from(Config root) {
    Config c = root.getConfig("edgewhisk.catalog");
    String kind = c.getString("nodejs-kind");
    if (kind.isBlank()) {
      throw new ConfigException.BadValue(c.origin(), "edgewhisk.catalog.nodejs-kind", "must not be empty");
    }
    return new CatalogConfig(c.getBoolean("install"), kind);
  }

  /** The settings of {@code reference.conf}, for tests and tools. */
  public static CatalogConfig defaults() {
    return from(com.typesafe.config.ConfigFactory.defaultReference());
  }
}
