package io.edgewhisk.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** What an operator sees for a bounded setting, with invoker.max-running (1 to 100,000) as the example. */
class ConfigValuesTest {
  private static final String PATH = "edgewhisk.invoker.max-running";

  private static Config with(String value) {
    return ConfigFactory.parseString(PATH + " = " + value);
  }

  @Test
  void aValueWithinItsBoundsIsTaken() {
    assertEquals(1, ConfigValues.intIn(with("1"), PATH, 1, 100_000));
    assertEquals(100_000, ConfigValues.intIn(with("100000"), PATH, 1, 100_000));
  }

  @Test
  void aValueOutsideItsBoundsIsRefusedWithTheSettingAndTheRange() {
    for (String bad : new String[] {"0", "100001", "-5"}) {
      ConfigException e = assertThrows(ConfigException.class, () -> ConfigValues.intIn(with(bad), PATH, 1, 100_000));
      assertTrue(e.getMessage().contains(PATH) && e.getMessage().contains("must be between 1 and 100000, was " + bad),
          e.getMessage());
    }
  }
}
