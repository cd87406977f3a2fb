package io.edgewhisk.sync.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class KafkaClientPropertiesTest {
  static final String JAAS_SECRET = "jaas-Pa55-7f3e9c";
  static final String STORE_SECRET = "store-Pa55-2b8d41";

  @TempDir Path dir;

  private Path file(String text) throws Exception {
    return Files.writeString(dir.resolve("client.properties"), text);
  }

  private Path saslFile() throws Exception {
    return file("""
        # what the cluster's other clients use
        security.protocol=SASL_PLAINTEXT
        sasl.mechanism=PLAIN
        sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\
            username="edge" password="%s";
        ssl.truststore.password=%s
        """.formatted(JAAS_SECRET, STORE_SECRET));
  }

  @Test
  void theFilesSettingsComeWithTheInlineOnes() throws Exception {
    Map<String, Object> p = KafkaClientProperties.load(saslFile(), Map.of("compression.type", "lz4", "linger.ms", 20));
    assertEquals("SASL_PLAINTEXT", p.get("security.protocol"));
    assertEquals("PLAIN", p.get("sasl.mechanism"));
    assertEquals("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"edge\" password=\""
        + JAAS_SECRET + "\";", p.get("sasl.jaas.config"), "a continued line, as Kafka's tools read it");
    assertEquals("lz4", p.get("compression.type"));
    assertEquals(20, p.get("linger.ms"));
    assertEquals(6, p.size());
    assertEquals(Map.of("acks.timeout", 1), KafkaClientProperties.load(null, Map.of("acks.timeout", 1)), "no file: inline only");
  }

  @Test
  void aKeyInBothPlacesIsRefusedByNameNotByValue() throws Exception {
    Path f = saslFile();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> KafkaClientProperties.load(f, Map.of("ssl.truststore.password", "inline-secret")));
    assertTrue(e.getMessage().contains("edgewhisk.sync.kafka.properties-file") && e.getMessage().contains("ssl.truststore.password"),
        e.getMessage());
    assertFalse(e.getMessage().contains(STORE_SECRET) || e.getMessage().contains("inline-secret"), e.getMessage());
  }

  @Test
  void whatSyncSetsItselfIsRefusedInTheFile() throws Exception {
    Path f = file("acks=1\nsasl.jaas.config=x required password=\"" + JAAS_SECRET + "\";\n");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> KafkaClientProperties.load(f, Map.of()));
    assertTrue(e.getMessage().contains("[acks]"), e.getMessage());
    assertFalse(e.getMessage().contains(JAAS_SECRET), e.getMessage());
  }

  @Test
  void anUnreadableFileNamesTheKeyAndThePath() {
    Path missing = dir.resolve("nope.properties");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> KafkaClientProperties.load(missing, Map.of()));
    assertTrue(e.getMessage().startsWith("edgewhisk.sync.kafka.properties-file: cannot read " + missing), e.getMessage());
  }

  @Test
  void theProducerMadeWithTheFileNeverLogsItsSecretsEvenAtDebug() throws Exception {
    Map<String, Object> p = KafkaClientProperties.load(saslFile(), Map.of());
    Logger kafkaLogs = (Logger) LoggerFactory.getLogger("org.apache.kafka");
    Logger syncLogs = (Logger) LoggerFactory.getLogger("io.edgewhisk");
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    Level kafkaLevel = kafkaLogs.getLevel();
    Level syncLevel = syncLogs.getLevel();
    kafkaLogs.setLevel(Level.DEBUG);
    syncLogs.setLevel(Level.DEBUG);
    kafkaLogs.addAppender(seen);
    syncLogs.addAppender(seen);
    try {
      // nothing listens there: the producer is made, logs its configuration, tries, and is closed
      KafkaLink link = new KafkaLink("127.0.0.1:9", p, "edgewhisk-test", 2_000);
      Throwable failed = io.edgewhisk.sync.testing.Await.failure(link.send(java.util.List.of(
          new KafkaLink.Message("events", "k", "{}"))));
      link.close();
      assertFalse(failed.getMessage().contains(JAAS_SECRET), failed.getMessage());
    } finally {
      kafkaLogs.detachAppender(seen);
      syncLogs.detachAppender(seen);
      kafkaLogs.setLevel(kafkaLevel);
      syncLogs.setLevel(syncLevel);
    }
    String all = seen.list.stream().map(ev -> ev.getFormattedMessage()
            + (ev.getThrowableProxy() == null ? "" : " " + ev.getThrowableProxy().getMessage()))
        .collect(Collectors.joining("\n"));
    assertTrue(all.contains("sasl.jaas.config = [hidden]"), "the client's own configuration log was captured:\n" + all);
    assertFalse(all.contains(JAAS_SECRET), "the JAAS password was logged");
    assertFalse(all.contains(STORE_SECRET), "the trust store password was logged");
  }
}
