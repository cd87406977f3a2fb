package io.edgewhisk.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code edgewhisk.log} from reference.conf, with overrides and bad values. */
class LogConfigTest {
  static Config log(String overrides) {
    return ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference())
        .resolve().getConfig("edgewhisk.log");
  }

  @Test
  void theDefaultsAreReadAndTheDirIsUnderTheStateDir() {
    LogConfig c = LogConfig.from(log(""), Path.of("/var/lib/edgewhisk"));
    assertEquals(Path.of("/var/lib/edgewhisk/log"), c.dir());
    assertEquals(16L << 20, c.segmentBytes());
    assertEquals(2L << 30, c.diskCapBytes());
    assertEquals(Duration.ofDays(7), c.retentionOf(Topic.INVOKE).age());
    assertEquals(1024, c.groupCommitMaxBatch());
    assertEquals(Duration.ZERO, c.groupCommitMaxDelay());
  }

  @Test
  void aTopicMayOverrideRetention() {
    LogConfig c = LogConfig.from(log("edgewhisk.log.topics.activations.retention-age = 30d"), Path.of("/s"));
    assertEquals(Duration.ofDays(30), c.retentionOf(Topic.ACTIVATIONS).age());
    assertEquals(256L << 20, c.retentionOf(Topic.ACTIVATIONS).bytes());
    assertEquals(Duration.ofDays(7), c.retentionOf(Topic.INVOKE).age());
  }

  @Test
  void aBadValueNamesItsKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> LogConfig.from(log("edgewhisk.log.group-commit.max-batch = 0"), Path.of("/s")));
    assertTrue(e.getMessage().contains("group-commit.max-batch"), e.getMessage());
    ConfigException cap = assertThrows(ConfigException.class,
        () -> LogConfig.from(log("edgewhisk.log.disk-cap-bytes = 1KiB"), Path.of("/s")));
    assertTrue(cap.getMessage().contains("disk-cap-bytes"), cap.getMessage());
  }
}
