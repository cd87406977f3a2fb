package io.edgewhisk.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncConfigTest {
  static SyncConfig parse(String hocon) {
    return SyncConfig.from(SyncPlugin.complete(ConfigFactory.parseString(hocon)));
  }

  @Test
  void theDefaultsAreOffWithOpenWhisksDatabaseNames() {
    SyncConfig c = parse("");
    assertFalse(c.enabled());
    assertFalse(new SyncPlugin().enabled(ConfigFactory.empty()));
    assertFalse(c.couch().configured());
    assertFalse(c.kafka().configured());
    assertEquals("whisk_local_whisks", c.couch().whisksDb());
    assertEquals("whisk_local_subjects", c.couch().subjectsDb());
    assertEquals("whisk_local_activations", c.couch().activationsDb());
    assertEquals("edge_devices", c.couch().devicesDb());
    assertEquals("events", c.kafka().eventsTopic());
    assertEquals("edge-devices", c.kafka().statusTopic());
    assertEquals(Duration.ofSeconds(30), c.backoffMax());
    assertFalse(c.deviceId().isBlank(), "the host name by default");
  }

  @Test
  void everyKeyIsRead() {
    SyncConfig c = parse("""
        enabled = true
        device-id = gw-7
        labels = [berlin, pumps]
        namespaces = [guest]
        pull-unlabelled = true
        couchdb { url = "http://127.0.0.1:5984", username = edge, password-file = /etc/edgewhisk/couch.pw,
                  db-prefix = "prod_", activations-db = "acts" }
        kafka { bootstrap-servers = "127.0.0.1:9092", properties { "security.protocol" = SASL_SSL, "sasl.mechanism" = PLAIN } }
        """);
    assertTrue(c.enabled());
    assertEquals("gw-7", c.deviceId());
    assertEquals(Set.of("berlin", "pumps"), c.labels());
    assertEquals("prod_whisks", c.couch().whisksDb());
    assertEquals("acts", c.couch().activationsDb());
    assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN"), c.kafka().properties());
    assertFalse(c.kafka().toString().contains("SASL_SSL"), "client properties may hold secrets");
  }

  @Test
  void aBadValueNamesItsKey() {
    assertKey("edgewhisk.sync.couchdb.url", "enabled = true, couchdb.url = \"ftp://x\"");
    assertKey("edgewhisk.sync.couchdb.url", "couchdb.url = \"http://user:pw@x:5984\"");
    assertKey("edgewhisk.sync.couchdb.url", "enabled = true");
    assertKey("edgewhisk.sync.couchdb.password-file", "couchdb { url = \"http://x:5984\", username = u }");
    assertKey("edgewhisk.sync.pull.batch-size", "pull.batch-size = 0");
    assertKey("edgewhisk.sync.link.backoff-max", "link { backoff-initial = 10s, backoff-max = 1s }");
    assertKey("edgewhisk.sync.couchdb.whisks-db", "couchdb.whisks-db = \"Bad Name\"");
    assertKey("edgewhisk.sync.kafka.events-topic", "kafka.events-topic = \"\"");
    assertKey("edgewhisk.sync.kafka.properties", "kafka.properties { acks = 1 }");
    assertKey("edgewhisk.sync.kafka.properties", "kafka.properties { \"enable.idempotence\" = false }");
  }

  @Test
  void remoteInvocationIsOffByDefaultAndNamedAfterTheDevice() {
    SyncConfig.RemoteInvocation off = parse("device-id = gw-7").remoteInvocation();
    assertFalse(off.enabled());
    assertEquals("invoker-edge-gw-7", off.topic());
    assertEquals("edgewhisk-invoker-gw-7", off.groupId());
    assertEquals("", off.topicPrefix());
    assertEquals(0, off.invokerInstance());
    assertEquals("2048 MB", off.userMemory());
    SyncConfig.RemoteInvocation on = parse("""
        enabled = true, device-id = gw-7, kafka.bootstrap-servers = "127.0.0.1:9092"
        remote-invocation { enabled = true, topic = edge7, group-id = g7, topic-prefix = "prod.", invoker-instance = 3,
                            max-running = 8, max-completion-bytes = 500000 }
        """).remoteInvocation();
    assertEquals(new SyncConfig.RemoteInvocation(true, "edge7", "g7", "prod.", 3, "2048 MB", 8, 500000), on);
  }

  @Test
  void remoteInvocationNeedsKafkaAndATopicName() {
    assertKey("edgewhisk.sync.remote-invocation.enabled",
        "enabled = true, couchdb.url = \"http://x:5984\", remote-invocation.enabled = true");
    assertKey("edgewhisk.sync.remote-invocation.topic", "remote-invocation { enabled = true, topic = \"a/b\" }");
    assertKey("edgewhisk.sync.remote-invocation.topic", "device-id = \"gw 7\", remote-invocation.enabled = true");
    assertKey("edgewhisk.sync.remote-invocation.max-running", "remote-invocation.max-running = 0");
    // a device id that cannot name a topic is fine while remote invocation is off
    assertEquals("gw 7", parse("device-id = \"gw 7\"").deviceId());
  }

  @Test
  void aKafkaClientPropertiesFileIsNamedNotRead() {
    SyncConfig c = parse("kafka { bootstrap-servers = \"127.0.0.1:9092\", properties-file = /etc/edgewhisk/kafka.properties }");
    assertEquals(java.nio.file.Path.of("/etc/edgewhisk/kafka.properties"), c.kafka().propertiesFile());
    assertTrue(c.kafka().toString().contains("/etc/edgewhisk/kafka.properties"), c.kafka().toString());
    assertNull(parse("").kafka().propertiesFile());
  }

  private static void assertKey(String key, String hocon) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(hocon));
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }

  @Test
  void noPasswordFileNoCredentials() {
    assertNull(parse("couchdb.url = \"http://x:5984\"").couch().passwordFile());
  }
}
