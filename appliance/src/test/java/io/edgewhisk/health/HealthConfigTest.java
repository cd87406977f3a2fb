package io.edgewhisk.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class HealthConfigTest {
  private static HealthConfig of(String hocon) {
    return HealthConfig.from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  @Test
  void defaultsAreReferenceConfs() {
    assertEquals(new HealthConfig(1L << 30, 3000), of(""));
    assertEquals(new HealthConfig(512L << 20, 500), of("edgewhisk.health { disk-degraded-below = 512MiB, timeout = 500ms }"));
  }

  @Test
  void badValuesNameTheSetting() {
    for (String bad : new String[] {"edgewhisk.health.disk-degraded-below = 0", "edgewhisk.health.disk-degraded-below = lots",
        "edgewhisk.health.timeout = 0ms", "edgewhisk.health.timeout = -1s"}) {
      ConfigException e = assertThrows(ConfigException.class, () -> of(bad), bad);
      assertTrue(e.getMessage().contains("edgewhisk.health."), e.getMessage());
    }
  }
}
