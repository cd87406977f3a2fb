package io.edgewhisk.catalog;

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

  @Test
  void defaultsAreOpenWhisksProvidersOnes() {
    CatalogConfig c = CatalogConfig.defaults();
    assertTrue(c.install());
    assertEquals("nodejs:18", c.nodejsKind());
    assertEquals(10, c.alarms().retryAttempts());
    assertEquals(Duration.ofSeconds(1), c.alarms().retryDelay());
    assertFalse(c.alarms().limitCronFields());
  }

  @Test
  void overridesAreReadAndBadValuesNameTheirKey() {
    CatalogConfig c = with("edgewhisk.catalog { install = false, nodejs-kind = \"nodejs:20\", alarms.limit-cron-fields = true }");
    assertFalse(c.install());
    assertEquals("nodejs:20", c.nodejsKind());
    assertTrue(c.alarms().limitCronFields());
    ConfigException e = assertThrows(ConfigException.class, () -> with("edgewhisk.catalog.alarms.max-sleep = 0s"));
    assertTrue(e.getMessage().contains("max-sleep"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> with("edgewhisk.catalog.alarms.retry-attempts = 1000"));
    assertTrue(e.getMessage().contains("retry-attempts"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> with("edgewhisk.catalog.nodejs-kind = \"\""));
    assertTrue(e.getMessage().contains("nodejs-kind"), e.getMessage());
  }
}
