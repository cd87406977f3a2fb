package io.edgewhisk.config;

import com.typesafe.config.Config;
import io.edgewhisk.model.NamespaceLimits;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The appliance's settings, read and validated once at start from {@code edgewhisk.*}. Each part that
 * has settings of its own (store, invoker, log, plugins) reads its section from {@link #raw()}.
 */
public record ApplianceConfig(
    Path stateDir,
    boolean dev,
    ApiConfig api,
    HttpsConfig https,
    NamespaceLimits namespaceDefaults,
    ActionLimitBounds actionLimits,
    List<String> disabledPlugins,
    Config raw) {

  public ApplianceConfig {
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(https, "https");
    disabledPlugins = List.copyOf(disabledPlugins);
  }

  public static ApplianceConfig from(Config root) {
    Config c = root.getConfig("edgewhisk");
    Config d = c.getConfig("namespace-defaults");
    return new ApplianceConfig(
        Path.of(c.getString("state-dir")),
        c.getBoolean("dev"),
        ApiConfig.from(c.getConfig("api")),
        HttpsConfig.from(c.getConfig("api")),
        new NamespaceLimits(
            ConfigValues.intIn(d, "invocations-per-minute", 0, Integer.MAX_VALUE),
            ConfigValues.intIn(d, "concurrent-invocations", 0, Integer.MAX_VALUE),
            ConfigValues.intIn(d, "fires-per-minute", 0, Integer.MAX_VALUE),
            null,
            d.getBoolean("store-activations")),
        ActionLimitBounds.from(c.getConfig("action-limits")),
        c.getStringList("plugins.disabled"),
        root);
  }
}
