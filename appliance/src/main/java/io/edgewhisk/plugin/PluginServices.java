package io.edgewhisk.plugin;

import io.edgewhisk.log.AppendLog;
import io.edgewhisk.store.sqlite.Database;
import io.edgewhisk.telemetry.HealthRegistry;
import io.edgewhisk.telemetry.MetricRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Objects;

/** The core's parts that every plugin's context is made from. */
public record PluginServices(Vertx vertx, Path stateDir, Database database, AppendLog log, MetricRegistry metrics,
    HealthRegistry health, PluginCatalog catalog) {
  public PluginServices {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(catalog, "catalog");
  }
}
