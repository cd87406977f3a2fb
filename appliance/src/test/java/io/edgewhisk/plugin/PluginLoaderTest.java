package io.edgewhisk.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.edgewhisk.catalog.CatalogFixture;
import io.edgewhisk.log.InMemoryAppendLog;
import io.edgewhisk.spi.PluginContext;
import io.edgewhisk.telemetry.HealthRegistry;
import io.edgewhisk.telemetry.MetricRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin loader: found with ServiceLoader, configuration checked first, migrated, deployed with a context. */
class PluginLoaderTest {

  @Test
  void findsThePluginOnTheClasspath() {
    PluginLoader loader = new PluginLoader(getClass().getClassLoader());
    assertTrue(loader.discover().stream().anyMatch(p -> p.name().equals("empty")));
    assertTrue(loader.select(ConfigFactory.defaultReference(), List.of()).stream().anyMatch(p -> p.name().equals("empty")));
  }

  @Test
  void aDisabledPluginIsNotSelected() {
    assertTrue(new PluginLoader(getClass().getClassLoader()).select(ConfigFactory.defaultReference(), List.of("empty")).stream()
        .noneMatch(p -> p.name().equals("empty")));
  }

  @Test
  void aBadValueInThePluginsSectionFailsSelectionNamingTheKey() {
    var root = ConfigFactory.parseMap(Map.of("edgewhisk.empty.size", -1)).withFallback(ConfigFactory.defaultReference());
    ConfigException e = assertThrows(ConfigException.class,
        () -> new PluginLoader(getClass().getClassLoader()).select(root, List.of()));
    assertTrue(e.getMessage().contains("edgewhisk.empty.size"), e.getMessage());
  }

  @Test
  void runsMigrationsThenDeploysWithAContextScopedToThePlugin(@TempDir Path dir) throws Exception {
    try (CatalogFixture f = new CatalogFixture(dir)) {
      var selected = new PluginLoader(getClass().getClassLoader()).select(ConfigFactory.defaultReference(), List.of()).stream()
          .filter(p -> p.name().equals("empty")).toList();
      MetricRegistry metrics = new MetricRegistry();
      PluginRuntime runtime = new PluginRuntime(selected, new PluginServices(f.vertx, dir, f.stores.database(),
          new InMemoryAppendLog(f.vertx, io.edgewhisk.log.LogConfig.defaults(dir.resolve("log")), java.time.Clock.systemUTC()), metrics, new HealthRegistry(),
          new PluginCatalog(f.vertx, f.stores.subjects(), f.stores.entities())));
      int before = EmptyPlugin.STARTS.get();
      CatalogFixture.await(runtime.prepare());
      assertEquals(List.of("empty"), CatalogFixture.await(runtime.start()));
      assertEquals(before + 1, EmptyPlugin.STARTS.get());
      PluginContext context = EmptyPlugin.LAST.get();
      assertEquals(dir.resolve("plugins/empty"), context.dataDir());
      // the migration made the plugin's table: write and read it through the plugin's database
      CatalogFixture.await(context.database().write(c -> c.createStatement().executeUpdate(
          "INSERT INTO empty_notes (text) VALUES ('hello')")));
      assertEquals("hello", CatalogFixture.await(context.database().read(c -> {
        var r = c.createStatement().executeQuery("SELECT text FROM empty_notes");
        r.next();
        return r.getString(1);
      })));
      context.telemetry().counter("notes_total", "notes written").increment();
      StringBuilder out = new StringBuilder();
      metrics.render(out);
      assertTrue(out.toString().contains("edgewhisk_empty_notes_total 1\n"), out.toString());
      CatalogFixture.await(runtime.stop());
      // a second start (restart) does not apply the migration again
      CatalogFixture.await(new PluginRuntime(selected, new PluginServices(f.vertx, dir, f.stores.database(),
          new InMemoryAppendLog(f.vertx, io.edgewhisk.log.LogConfig.defaults(dir.resolve("log")), java.time.Clock.systemUTC()), metrics, new HealthRegistry(),
          new PluginCatalog(f.vertx, f.stores.subjects(), f.stores.entities()))).prepare());
    }
  }
}
