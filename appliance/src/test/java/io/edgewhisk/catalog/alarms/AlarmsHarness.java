package io.edgewhisk.catalog.alarms;

import static io.edgewhisk.catalog.CatalogFixture.await;

import com.typesafe.config.ConfigFactory;
import io.edgewhisk.api.FakeKinds;
import io.edgewhisk.catalog.CatalogFixture;
import io.edgewhisk.catalog.RecordingActivator;
import io.edgewhisk.controller.RefusedFires;
import io.edgewhisk.controller.BuiltinAction;
import io.edgewhisk.log.InMemoryAppendLog;
import io.edgewhisk.log.LogConfig;
import io.edgewhisk.plugin.CoreServices;
import io.edgewhisk.plugin.FleetEntities;
import io.edgewhisk.plugin.PluginCatalog;
import io.edgewhisk.plugin.PluginLoader;
import io.edgewhisk.plugin.PluginRuntime;
import io.edgewhisk.plugin.PluginServices;
import io.edgewhisk.plugin.TriggerFiring;
import io.edgewhisk.store.sqlite.SqliteIdentityService;
import io.edgewhisk.telemetry.HealthRegistry;
import io.edgewhisk.telemetry.MetricRegistry;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The alarms plugin as the appliance runs it, over real SQLite: selected with its section, migrated, deployed
 * through the plugin runtime, its feeds reached through the core's feed protocol and the event bus, its fires
 * going through the core's trigger service to a {@link RecordingActivator}.
 */
final class AlarmsHarness {
  final MetricRegistry metrics = new MetricRegistry();
  private final CatalogFixture fx;
  private final PluginCatalog catalog;
  private final PluginRuntime runtime;
  private final List<MessageConsumer<JsonObject>> services;

  AlarmsHarness(CatalogFixture fx, RecordingActivator activator, Map<String, Object> settings) {
    this.fx = fx;
    var root = ConfigFactory.parseMap(Map.of("edgewhisk.alarms", settings)).withFallback(fx.config.raw());
    var selected = new PluginLoader(getClass().getClassLoader()).select(root, List.of()).stream()
        .filter(p -> p.name().equals(AlarmsPlugin.NAME)).toList();
    catalog = new PluginCatalog(fx.vertx, fx.stores.subjects(), fx.stores.entities());
    runtime = new PluginRuntime(selected, new PluginServices(fx.vertx, fx.config.stateDir(), fx.stores.database(),
        new InMemoryAppendLog(fx.vertx, LogConfig.defaults(fx.config.stateDir().resolve("log")), Clock.systemUTC()),
        metrics, new HealthRegistry(), catalog));
    services = CoreServices.bind(fx.vertx, new TriggerFiring(activator, fx.stores.subjects(),
        new RefusedFires(fx.stores.entities(), (a, who) -> io.vertx.core.Future.succeededFuture(), Clock.systemUTC())),
        new SqliteIdentityService(fx.stores.database(), fx.stores.subjects()),
        new FleetEntities(fx.config, fx.stores.entities(), fx.stores.subjects(), new FakeKinds(), Clock.systemUTC()));
    await(runtime.prepare());
    await(runtime.start());
  }

  /** The feed action's code as the invoker runs it: the core's feed protocol in front of the plugin. */
  BuiltinAction builtin(String name) {
    BuiltinAction b = catalog.apply(name);
    if (b == null) {
      throw new AssertionError("no builtin " + name);
    }
    return b;
  }

  /** The plugin's store over the same database, for tests that look at or seed the schedules. */
  AlarmStore store() {
    var db = fx.stores.database();
    return new AlarmStore(new io.edgewhisk.spi.PluginDatabase() {
      @Override
      public <T> io.vertx.core.Future<T> write(io.edgewhisk.spi.SqlWork<T> work) {
        return db.write(work::run);
      }

      @Override
      public <T> io.vertx.core.Future<T> read(io.edgewhisk.spi.SqlWork<T> work) {
        return db.read(work::run);
      }
    });
  }

  List<String> feeds() {
    return runtime.catalogPackages().stream()
        .flatMap(p -> p.actions().stream().map(a -> p.name() + "/" + a.name())).toList();
  }

  void stop() {
    await(runtime.stop());
    services.forEach(s -> await(s.unregister()));
  }
}
