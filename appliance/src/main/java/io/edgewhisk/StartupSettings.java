package io.edgewhisk;

import io.edgewhisk.catalog.CatalogConfig;
import io.edgewhisk.config.ApplianceConfig;
import io.edgewhisk.invoker.InvokerConfig;
import io.edgewhisk.invoker.RuntimesManifest;
import io.edgewhisk.log.LogConfig;
import io.edgewhisk.plugin.PluginLoader;
import io.edgewhisk.store.sqlite.StoreConfig;
import java.util.List;
import java.util.Objects;

/**
 * Every setting the appliance runs with, parsed and checked at once before anything starts: the store, the
 * log, the invoker (and its runtimes manifest), the catalog, and the plugins' sections. A bad value fails
 * here with a {@link com.typesafe.config.ConfigException} naming the key (or, for the manifest, the file), so
 * start-up stops before a container, a file or a port is touched.
 */
public record StartupSettings(
    ApplianceConfig appliance,
    StoreConfig store,
    LogConfig log,
    InvokerConfig invoker,
    RuntimesManifest manifest,
    CatalogConfig catalog,
    List<PluginLoader.SelectedPlugin> plugins) {

  public StartupSettings {
    Objects.requireNonNull(appliance, "appliance");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(invoker, "invoker");
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(catalog, "catalog");
    plugins = List.copyOf(plugins);
  }

  /** Parses and checks everything; reads only the runtimes manifest (a classpath resource or a small file). */
  public static StartupSettings validate(ApplianceConfig config) {
    Objects.requireNonNull(config, "config");
    InvokerConfig invoker = InvokerConfig.from(config);
    io.edgewhisk.health.HealthConfig.from(config.raw()); // checked here, used when the health check is wired
    return new StartupSettings(config,
        StoreConfig.from(config.raw().getConfig("edgewhisk.store")),
        LogConfig.from(config.raw().getConfig("edgewhisk.log"), config.stateDir()),
        invoker,
        RuntimesManifest.load(invoker.runtimesManifest()),
        CatalogConfig.from(config.raw()),
        new PluginLoader(Appliance.class.getClassLoader()).select(config.raw(), config.disabledPlugins()));
  }
}
