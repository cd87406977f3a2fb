package io.edgewhisk.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.edgewhisk.spi.PluginContext;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginLoaderTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void findsAndDeploysThePluginOnTheClasspath(@TempDir Path dir) throws Exception {
    PluginLoader loader = new PluginLoader(getClass().getClassLoader());
    assertTrue(loader.discover().stream().anyMatch(p -> p.name().equals("empty")));
    int before = EmptyPlugin.STARTS.get();
    List<String> deployed = loader.deployAll(vertx, new PluginContext(ConfigFactory.empty(), dir), List.of())
        .await(5, TimeUnit.SECONDS);
    assertTrue(deployed.contains("empty"));
    assertEquals(before + 1, EmptyPlugin.STARTS.get());
    assertTrue(vertx.deploymentIDs().size() >= 1);
  }

  @Test
  void aDisabledPluginIsNotDeployed(@TempDir Path dir) throws Exception {
    int before = EmptyPlugin.STARTS.get();
    List<String> deployed = new PluginLoader(getClass().getClassLoader())
        .deployAll(vertx, new PluginContext(ConfigFactory.empty(), dir), List.of("empty")).await(5, TimeUnit.SECONDS);
    assertTrue(deployed.isEmpty());
    assertEquals(before, EmptyPlugin.STARTS.get());
  }
}
