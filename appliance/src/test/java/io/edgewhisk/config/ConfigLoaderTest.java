package io.edgewhisk.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import io.edgewhisk.store.sqlite.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void theFileOverridesTheDefaultsAndStateDirOverridesTheFile() throws Exception {
    Path conf = dir.resolve("edgewhisk.conf");
    Files.writeString(conf, """
        edgewhisk.state-dir = "/from/file"
        edgewhisk.store.activations.retention-age = 2d
        """);
    ApplianceConfig fromFile = ConfigLoader.applianceConfig(conf, null);
    assertEquals(Path.of("/from/file"), fromFile.stateDir());
    assertEquals(Duration.ofDays(2), StoreConfig.from(fromFile.raw().getConfig("edgewhisk.store")).retentionAge());
    assertEquals(Path.of("/from/flag"), ConfigLoader.applianceConfig(conf, Path.of("/from/flag")).stateDir());
    assertEquals(StoreConfig.defaults(), StoreConfig.from(ConfigLoader.load(null, dir).getConfig("edgewhisk.store")));
  }

  @Test
  void aBadStoreValueNamesItsKey() throws Exception {
    Path conf = dir.resolve("edgewhisk.conf");
    Files.writeString(conf, "edgewhisk.store.readers = 0\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> StoreConfig.from(ConfigLoader.load(conf, null).getConfig("edgewhisk.store")));
    assertTrue(e.getMessage().contains("readers"), e.getMessage());
    assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("missing.conf"), null));
  }
}
