package io.edgewhisk.plugin;

import com.typesafe.config.Config;
import io.edgewhisk.spi.CatalogRegistry;
import io.edgewhisk.spi.EntityService;
import io.edgewhisk.spi.IdentityService;
import io.edgewhisk.spi.LogTopics;
import io.edgewhisk.spi.PluginContext;
import io.edgewhisk.spi.PluginDatabase;
import io.edgewhisk.spi.Telemetry;
import io.edgewhisk.spi.TriggerService;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Objects;

/** The {@link PluginContext} of one plugin: bus clients shared by all, local views scoped to the plugin. */
record StartedPluginContext(String name, Config config, Path dataDir, Vertx vertx, TriggerService triggers,
    IdentityService identities, EntityService entities, CatalogRegistry catalog, LogTopics log,
    PluginDatabase database, Telemetry telemetry) implements PluginContext {

  StartedPluginContext {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(vertx, "vertx");
  }

  static StartedPluginContext of(String name, Config config, Path dataDir, PluginServices s) {
    return new StartedPluginContext(name, config, dataDir, s.vertx(), TriggerService.client(s.vertx()),
        IdentityService.client(s.vertx()), EntityService.client(s.vertx()), s.catalog().scopedTo(name),
        new PluginLogTopics(name, s.log()), new PluginTables(s.database()),
        new PluginTelemetry(name, s.metrics(), s.health()));
  }
}
