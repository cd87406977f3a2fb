package io.edgewhisk.spi;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What the appliance hands a plugin: the whole configuration (a plugin reads its own section,
 * {@code edgewhisk.<name>}) and the state directory, where it may keep files of its own.
 */
public record PluginContext(Config config, Path stateDir) {
  public PluginContext {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(stateDir, "stateDir");
  }
}
