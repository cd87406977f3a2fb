package io.edgewhisk.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each step of the precedence the README promises: reference.conf < --config file < environment variables <
 * system properties < --state-dir (serve's other flags: {@code MainConfigTest}).
 */
class ConfigPrecedenceTest {
  @TempDir Path dir;

  private static Properties props(String key, String value) {
    Properties p = new Properties();
    p.setProperty(key, value);
    return p;
  }

  private Path file(String hocon) throws Exception {
    Path f = dir.resolve("edgewhisk.conf");
    Files.writeString(f, hocon);
    return f;
  }

  private static int port(com.typesafe.config.Config c) {
    return c.getInt("edgewhisk.api.port");
  }

  @Test
  void theReferenceIsTheDefault() {
    assertEquals(3233, port(ConfigLoader.load(null, null, Map.of(), new Properties())));
  }

  @Test
  void theFileOverridesTheReference() throws Exception {
    assertEquals(4001, port(ConfigLoader.load(file("edgewhisk.api.port = 4001"), null, Map.of(), new Properties())));
  }

  @Test
  void anEnvironmentVariableOverridesTheFile() throws Exception {
    Path f = file("edgewhisk.api.port = 4001\nedgewhisk.store.readers = 3");
    var c = ConfigLoader.load(f, null, Map.of("EDGEWHISK_API_PORT", "4002"), new Properties());
    assertEquals(4002, port(c));
    assertEquals(3, c.getInt("edgewhisk.store.readers"), "what no variable sets stays the file's");
  }

  @Test
  void aSystemPropertyOverridesTheEnvironment() throws Exception {
    var c = ConfigLoader.load(file("edgewhisk.api.port = 4001"), null, Map.of("EDGEWHISK_API_PORT", "4002"),
        props("edgewhisk.api.port", "4003"));
    assertEquals(4003, port(c));
  }

  @Test
  void aSystemPropertyOverridesTheFile() throws Exception {
    assertEquals(4003, port(ConfigLoader.load(file("edgewhisk.api.port = 4001"), null, Map.of(),
        props("edgewhisk.api.port", "4003"))));
  }

  @Test
  void stateDirOverridesEverything() throws Exception {
    var c = ConfigLoader.load(file("edgewhisk.state-dir = \"/from/file\""), Path.of("/from/flag"),
        Map.of("EDGEWHISK_STATE_DIR", "/from/env"), props("edgewhisk.state-dir", "/from/property"));
    assertEquals("/from/flag", c.getString("edgewhisk.state-dir"));
  }

  @Test
  void unrelatedPropertiesAndVariablesAreIgnored() {
    var c = ConfigLoader.load(null, null, Map.of("PATH", "/bin"), props("java.home", "/jdk"));
    assertEquals(3233, port(c));
  }
}
