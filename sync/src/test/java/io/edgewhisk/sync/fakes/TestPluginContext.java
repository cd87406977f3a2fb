package io.edgewhisk.sync.fakes;

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

/** What the appliance hands the plugin, made of the test's fakes and the core's real log. */
public record TestPluginContext(Config config, Path dataDir, Vertx vertx, IdentityService identities,
    EntityService entities, LogTopics log, PluginDatabase database, Telemetry telemetry) implements PluginContext {

  @Override
  public String name() {
    return "sync";
  }

  @Override
  public TriggerService triggers() {
    throw new UnsupportedOperationException("sync fires no triggers");
  }

  @Override
  public CatalogRegistry catalog() {
    throw new UnsupportedOperationException("sync has no catalog");
  }
}
