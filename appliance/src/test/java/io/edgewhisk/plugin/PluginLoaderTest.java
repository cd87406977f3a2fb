package io.edgewhisk.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.edgewhisk.spi.PluginContext;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The plugin SPI: a plugin on the classpath is found with ServiceLoader and deployed as a verticle. */
@ExtendWith(VertxExtension.class)
class PluginLoaderTest {

  @Test
  void findsAndDeploysThePluginOnTheClasspath(Vertx vertx, VertxTestContext test, @TempDir Path dir) {
    PluginLoader loader = new PluginLoader(getClass().getClassLoader());
    assertTrue(loader.discover().stream().anyMatch(p -> p.name().equals("empty")));
    int before = EmptyPlugin.STARTS.get();
    loader.deployAll(vertx, new PluginContext(ConfigFactory.empty(), dir), List.of())
        .onComplete(test.succeeding(deployed -> test.verify(() -> {
          assertEquals(List.of("empty"), deployed);
          assertEquals(before + 1, EmptyPlugin.STARTS.get());
          assertEquals(1, vertx.deploymentIDs().size());
          test.completeNow();
        })));
  }

  @Test
  void aDisabledPluginIsNotDeployed(Vertx vertx, VertxTestContext test, @TempDir Path dir) {
    int before = EmptyPlugin.STARTS.get();
    new PluginLoader(getClass().getClassLoader())
        .deployAll(vertx, new PluginContext(ConfigFactory.empty(), dir), List.of("empty"))
        .onComplete(test.succeeding(deployed -> test.verify(() -> {
          assertTrue(deployed.isEmpty());
          assertEquals(before, EmptyPlugin.STARTS.get());
          assertTrue(vertx.deploymentIDs().isEmpty());
          test.completeNow();
        })));
  }
}
