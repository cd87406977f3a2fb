package io.edgewhisk.catalog;

import io.edgewhisk.catalog.alarms.AlarmsConfig;
import io.edgewhisk.catalog.alarms.AlarmsPlugin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CatalogConfigTest {
  private static CatalogConfig with(String hocon) {
    return CatalogConfig.from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
  }

  private static com.typesafe.config.Config section(String hocon) {
    return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve()
        .getConfig("edgewhisk.alarms");
  }

  @Test
  void defaultsAreOpenWhisksProvidersOnes() {
    CatalogConfig c = CatalogConfig.defaults();
    assertTrue(c.install());
    assertEquals("nodejs:18", c.nodejsKind());
    AlarmsConfig alarms = AlarmsConfig.from(ConfigFactory.defaultReference().getConfig("edgewhisk.alarms"));
    assertEquals(10, alarms.retryAttempts());
    assertEquals(Duration.ofSeconds(1), alarms.retryDelay());
    assertFalse(alarms.limitCronFields());
  }

  @Test
  void overridesAreReadAndBadValuesNameTheirKey() {
    CatalogConfig c = with("edgewhisk.catalog { install = false, nodejs-kind = \"nodejs:20\" }");
    assertFalse(c.install());
    assertEquals("nodejs:20", c.nodejsKind());
    AlarmsPlugin plugin = new AlarmsPlugin();
    assertTrue(AlarmsConfig.from(section("edgewhisk.alarms.limit-cron-fields = true")).limitCronFields());
    ConfigException e = assertThrows(ConfigException.class, () -> plugin.validate(section("edgewhisk.alarms.max-sleep = 0s")));
    assertTrue(e.getMessage().contains("max-sleep"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> plugin.validate(section("edgewhisk.alarms.retry-attempts = 1000")));
    assertTrue(e.getMessage().contains("retry-attempts"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> with("edgewhisk.catalog.nodejs-kind = \"\""));
    assertTrue(e.getMessage().contains("nodejs-kind"), e.getMessage());
  }
}
