package io.edgewhisk.mqtt.bridge;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigException;
import io.edgewhisk.mqtt.config.BridgeConfig;
import io.edgewhisk.mqtt.config.ForwardRule;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Each bad bridge setting stops start-up with a message that names the key. */
class BridgeConfigTest {
  static String bad(String hocon) {
    return assertThrows(ConfigException.class, () -> BridgeTest.config(hocon)).getMessage();
  }

  @Test
  void defaultsAndRules() {
    BridgeConfig c = BridgeTest.config(BridgeTest.RULES);
    assertEquals(java.util.List.of("tcp://127.0.0.1:1"), c.urls());
    assertFalse(c.mqtt5());
    assertEquals(30, c.keepAliveSeconds());
    assertEquals(100_000, c.maxOutboxMessages());
    assertEquals("bridge.b.outbox", c.outboxTopic());
    ForwardRule in = c.rules().get(1);
    assertEquals(ForwardRule.Direction.IN, in.direction());
    assertEquals("hq/cmd/#", in.remoteFilter());
    assertEquals("act/cmd/x", in.toLocal("hq/cmd/x"));
    assertEquals("site/sensors/a", c.rules().get(0).toRemote("sensors/a"));
  }

  @Test
  void badValuesNameTheirKey() throws Exception {
    assertTrue(bad("").contains("edgewhisk.mqtt.bridges.b.urls"));
    assertTrue(bad("urls = [\"http://x\"]").contains("bridges.b.urls"));
    assertTrue(bad("urls = [\"tcp://x\"], mqtt-version = \"4\"").contains("bridges.b.mqtt-version"));
    assertTrue(bad("urls = [\"tcp://x\"], max-inflight = 40000").contains("bridges.b.max-inflight"));
    assertTrue(bad("urls = [\"tcp://x\"], password-file = \"/nonexistent\", username = u")
        .contains("bridges.b.password-file"));
    Path pw = Files.createTempFile("pw", "");
    try {
      assertTrue(bad("urls = [\"tcp://x\"], password-file = \"" + pw + "\"").contains("needs a username"));
    } finally {
      Files.delete(pw);
    }
    assertTrue(bad("urls = [\"tcp://x\"], tls.ca-file = \"/nonexistent\"").contains("bridges.b.tls.ca-file"));
    assertTrue(bad("urls = [\"tcp://x\"], forward = [{direction = sideways, topic = \"#\"}]").contains("bridges.b.forward.0"));
    assertTrue(bad("urls = [\"tcp://x\"], forward = [{direction = out, topic = \"a/+x\"}]").contains("bridges.b.forward.0"));
    assertTrue(bad("urls = [\"tcp://x\"], forward = [{direction = out, topic = \"#\", remote-prefix = \"a\"}]")
        .contains("must be empty or a topic name ending in '/'"));
    assertTrue(bad("urls = [\"tcp://x\"], reconnect-min-delay = 5s, reconnect-max-delay = 1s")
        .contains("bridges.b.reconnect-max-delay"));
  }

  @Test
  void anInRuleWhoseTopicsAnOutRuleWouldSendBackIsALoop() {
    String m = bad("urls = [\"tcp://x\"], forward = [{direction = out, topic = \"sensors/#\"},"
        + " {direction = in, topic = \"+/temp\", local-prefix = \"\"}]");
    assertTrue(m.contains("a loop"), m);
    // distinct local topics are fine
    BridgeTest.config("urls = [\"tcp://x\"], forward = [{direction = out, topic = \"sensors/#\"},"
        + " {direction = in, topic = \"#\", local-prefix = \"cloud/\"}]");
  }

  @Test
  void aBridgeNameMustBeUsableInTopicsAndMetrics() {
    assertThrows(ConfigException.class, () -> BridgeConfig.all(com.typesafe.config.ConfigFactory.parseString(
        "bridges { \"Bad Name\" { urls = [\"tcp://x\"] } }").withFallback(
        com.typesafe.config.ConfigFactory.defaultReference().getConfig("edgewhisk.mqtt"))));
    assertThrows(ConfigException.class, () -> BridgeConfig.all(com.typesafe.config.ConfigFactory.parseString(
        "bridges { embedded { urls = [\"tcp://x\"] } }").withFallback(
        com.typesafe.config.ConfigFactory.defaultReference().getConfig("edgewhisk.mqtt"))));
  }
}
