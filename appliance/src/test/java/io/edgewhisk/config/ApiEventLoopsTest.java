package io.edgewhisk.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class ApiEventLoopsTest {

  private static ApiConfig api(String settings) {
    return ApiConfig.from(ConfigFactory.parseString(settings)
        .withFallback(ConfigFactory.defaultReference()).resolve().getConfig("edgewhisk.api"));
  }

  @Test
  void byDefaultOneLoopPerTwoCoresAndAtLeastOne() {
    ApiConfig defaults = api("");
    assertEquals(1, defaults.eventLoopsFor(1));
    assertEquals(1, defaults.eventLoopsFor(2));
    assertEquals(1, defaults.eventLoopsFor(3));
    assertEquals(2, defaults.eventLoopsFor(4));
    assertEquals(4, defaults.eventLoopsFor(8));
  }

  @Test
  void aConfiguredNumberIsTakenAsItIs() {
    assertEquals(3, api("edgewhisk.api.event-loops = 3").eventLoopsFor(2));
  }
}
