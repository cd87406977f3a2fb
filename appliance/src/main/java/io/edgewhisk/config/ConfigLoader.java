package io.edgewhisk.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Loads EdgeWhisk's configuration the one way both {@code edgewhisk serve} and the admin commands do, from
 * lowest to highest precedence: {@code reference.conf}, the {@code --config} file, environment variables
 * (each key's {@code EDGEWHISK_…} variable, as {@code reference.conf} names it), Java system properties
 * ({@code -Dedgewhisk.…}), and {@code --state-dir}; {@code serve}'s other flags go on top of that.
 *
 * <p>The variables are written into {@code reference.conf} as optional substitutions, which Typesafe Config
 * resolves inside the reference itself, so a file would override them. Hence the reference is resolved twice,
 * with and without the environment, and the keys whose values differ (those a variable set) become a layer of
 * their own above the file.
 */
public final class ConfigLoader {
  private static final ConfigResolveOptions NO_ENVIRONMENT = ConfigResolveOptions.defaults().setUseSystemEnvironment(false);

  private ConfigLoader() {}

  /** The raw configuration; {@code configFile} and {@code stateDir} may be null. */
  public static Config load(Path configFile, Path stateDir) {
    return load(configFile, stateDir, System.getenv(), System.getProperties());
  }

  /** As {@link #load(Path, Path)}, with the environment and system properties given (for tests). */
  public static Config load(Path configFile, Path stateDir, Map<String, String> environment, Properties properties) {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(properties, "properties");
    Config reference = ConfigFactory.defaultReferenceUnresolved();
    Config plain = reference.resolve(NO_ENVIRONMENT);
    Config withEnvironment = reference.withFallback(variables(environment)).resolve(NO_ENVIRONMENT)
        .withOnlyPath("edgewhisk");
    Config file = ConfigFactory.empty();
    if (configFile != null) {
      if (!Files.isReadable(configFile)) {
        throw new ConfigException.IO(ConfigFactory.empty().origin(), "cannot read the config file " + configFile);
      }
      file = ConfigFactory.parseFile(configFile.toFile());
    }
    Config merged = systemProperties(properties)
        .withFallback(changedBy(withEnvironment, plain))
        .withFallback(file)
        .withFallback(plain)
        .resolve();
    if (stateDir != null) {
      merged = ConfigFactory.parseMap(Map.of("edgewhisk.state-dir", stateDir.toString()), "--state-dir")
          .withFallback(merged);
    }
    return merged;
  }

  /** The values of {@code layer} that differ from (or are missing in) {@code base}. */
  private static Config changedBy(Config layer, Config base) {
    Config out = ConfigFactory.empty("environment variables");
    for (Map.Entry<String, ConfigValue> e : layer.entrySet()) {
      String path = e.getKey();
      if (!base.hasPath(path) || !base.getValue(path).unwrapped().equals(e.getValue().unwrapped())) {
        out = out.withValue(path, e.getValue());
      }
    }
    return out;
  }

  /** The {@code EDGEWHISK_*} variables at the root, where {@code reference.conf}'s substitutions look them up. */
  private static Config variables(Map<String, String> environment) {
    Map<String, String> ours = new java.util.HashMap<>();
    environment.forEach((k, v) -> {
      if (k.matches("EDGEWHISK_[A-Z0-9_]+")) {
        ours.put(k, v);
      }
    });
    return ConfigFactory.parseMap(ours, "environment variables");
  }

  /** The {@code edgewhisk.*} system properties. */
  private static Config systemProperties(Properties properties) {
    Config all = ConfigFactory.parseProperties(properties, com.typesafe.config.ConfigParseOptions.defaults()
        .setOriginDescription("system properties"));
    return all.hasPath("edgewhisk") ? all.withOnlyPath("edgewhisk") : ConfigFactory.empty();
  }

  /** The validated configuration; fails with a {@link ConfigException} naming the bad key. */
  public static ApplianceConfig applianceConfig(Path configFile, Path stateDir) {
    return ApplianceConfig.from(load(configFile, stateDir));
  }
}
