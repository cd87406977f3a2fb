package io.edgewhisk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve's flags are the top of the precedence: over system properties, which are over the --config file. */
class MainConfigTest {
  @TempDir Path dir;

  @AfterEach
  void clear() {
    System.clearProperty("edgewhisk.api.port");
  }

  @Test
  void theFlagOverridesTheSystemPropertyWhichOverridesTheFile() throws Exception {
    Path conf = dir.resolve("edgewhisk.conf");
    Files.writeString(conf, "edgewhisk.api.port = 4001\n");
    System.setProperty("edgewhisk.api.port", "4003");
    assertEquals(4003, Main.serveConfig(List.of("--config", conf.toString(), "--state-dir", dir.toString()))
        .api().port());
    assertEquals(4004, Main.serveConfig(List.of("--config", conf.toString(), "--state-dir", dir.toString(),
        "--port", "4004")).api().port());
  }
}
