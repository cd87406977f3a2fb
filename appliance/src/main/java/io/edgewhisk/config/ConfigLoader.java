package io.edgewhisk.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads EdgeWhisk's configuration the one way both {@code edgewhisk serve} and the admin commands do:
 * the {@code --config} file (if any) over {@code reference.conf}, system properties and environment
 * variables, with {@code --state-dir} (if given) over everything.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /** The raw configuration; {@code configFile} and {@code stateDir} may be null. */
  public static Config load(Path configFile, Path stateDir) {
    Config base = ConfigFactory.load();
    if (configFile != null) {
      if (!Files.isReadable(configFile)) {
        throw new ConfigException.IO(ConfigFactory.empty().origin(), "cannot read the config file " + configFile);
      }
      base = ConfigFactory.parseFile(configFile.toFile()).withFallback(base).resolve();
    }
    if (stateDir != null) {
      base = ConfigFactory.parseMap(Map.of("edgewhisk.state-dir", stateDir.toString()), "--state-dir")
          .withFallback(base);
    }
    return base;
  }

  /** The validated configuration; fails with a {@link ConfigException} naming the bad key. */
  public static ApplianceConfig applianceConfig(Path configFile, Path stateDir) {
    return ApplianceConfig.from(load(configFile, stateDir));
  }
}
