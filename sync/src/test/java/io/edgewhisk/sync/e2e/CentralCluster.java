package io.edgewhisk.sync.e2e;

import io.edgewhisk.sync.testing.KafkaNode;
import io.edgewhisk.sync.testing.PouchDbServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A stand-in for the central OpenWhisk cluster a gateway syncs with: a real CouchDB-speaking server
 * (pouchdb-server, its databases on disk, an admin user) and a real one-node Kafka that authenticates the
 * gateway with SASL PLAIN (its credentials in a Kafka client properties file), both of which a test can take
 * away and bring back; and the HOCON that points an appliance's sync at them.
 */
final class CentralCluster implements AutoCloseable {
  static final String WHISKS = "whisk_local_whisks";
  static final String SUBJECTS = "whisk_local_subjects";
  static final String ACTIVATIONS = "whisk_local_activations";
  private static final String USER = "central";
  private static final String KAFKA_USER = "edge";

  final PouchDbServer couchServer;
  final KafkaNode kafka;
  final CentralCouch couch;
  private final Path passwordFile;
  private final Path kafkaProperties;
  private final List<String> secrets;

  private CentralCluster(PouchDbServer couchServer, KafkaNode kafka, Path passwordFile, String password,
      Path kafkaProperties, List<String> secrets) {
    this.couchServer = couchServer;
    this.kafka = kafka;
    this.passwordFile = passwordFile;
    this.kafkaProperties = kafkaProperties;
    this.secrets = List.copyOf(secrets);
    this.couch = new CentralCouch(couchServer.url(), USER, password);
  }

  /** Starts both servers (in parallel: Kafka takes longest) and creates OpenWhisk's databases. */
  static CentralCluster start(Path dir) throws Exception {
    String kafkaPassword = "kafka-" + UUID.randomUUID();
    var kafkaStart = java.util.concurrent.CompletableFuture.supplyAsync(() -> KafkaNode.startWithSasl(KAFKA_USER, kafkaPassword));
    PouchDbServer couchServer = PouchDbServer.onDisk();
    KafkaNode kafka;
    try {
      kafka = kafkaStart.join();
    } catch (RuntimeException e) {
      couchServer.close();
      throw e;
    }
    String password = UUID.randomUUID().toString();
    couchServer.addAdmin(USER, password);
    Path passwordFile = Files.writeString(dir.resolve("couch.pw"), password + "\n");
    // the gateway's Kafka credentials, as an operator hands them over: a client properties file
    Path kafkaProperties = Files.writeString(dir.resolve("kafka-client.properties"), String.join("\n",
        "security.protocol=SASL_PLAINTEXT",
        "sasl.mechanism=PLAIN",
        "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\",
        "  username=\"" + KAFKA_USER + "\" password=\"" + kafkaPassword + "\";",
        ""));
    CentralCluster c = new CentralCluster(couchServer, kafka, passwordFile, password, kafkaProperties,
        List.of(password, kafkaPassword));
    for (String db : List.of(WHISKS, SUBJECTS, ACTIVATIONS)) {
      c.couch.createDatabase(db);
    }
    return c;
  }

  /** The appliance's settings: its own Podman instance, and sync with these servers and quick retries. */
  String applianceConfig(PodmanInstance instance, String deviceId, String extra) {
    return """
        edgewhisk {
          invoker.instance-id = "%s"
          sync {
            enabled = true
            device-id = "%s"
            labels = [berlin]
            namespaces = [fleet]
            couchdb { url = "%s", username = %s, password-file = "%s" }
            kafka { bootstrap-servers = "%s", properties-file = "%s", delivery-timeout = 10s }
            pull.heartbeat = 2s
            link { backoff-initial = 200ms, backoff-max = 2s }
            status.interval = 2s
          }
        }
        %s
        """.formatted(instance.id(), deviceId, couchServer.url(), USER, passwordFile, kafka.saslBootstrapServers(),
            kafkaProperties, extra);
  }

  /** A subject document of the central {@code subjects} database owning namespace {@code fleet}. */
  static JsonObject subject(String name, String uuid, String key) {
    return new JsonObject().put("_id", name).put("subject", name).put("namespaces",
        new JsonArray().add(new JsonObject().put("name", "fleet").put("uuid", uuid).put("key", key)));
  }

  /** A fresh OpenWhisk key: a 36-character uuid and 64 alphanumerics. */
  static String[] newKey() {
    String key = (UUID.randomUUID().toString() + UUID.randomUUID() + UUID.randomUUID()).replace("-", "").substring(0, 64);
    return new String[] {UUID.randomUUID().toString(), key};
  }

  /** The passwords the gateway was given (CouchDB's, Kafka's): none may ever appear in what it writes. */
  List<String> secrets() {
    return secrets;
  }

  /** Takes both servers away, as a link down would. */
  void stop() {
    couchServer.stop();
    kafka.stop();
  }

  /** Brings both back, on the same ports and data. */
  void restart() {
    var kafkaStart = java.util.concurrent.CompletableFuture.runAsync(kafka::restart);
    couchServer.start();
    kafkaStart.join();
  }

  /**
   * Reads the {@code events} topic from its start until {@code enough} holds of what was read (or the time
   * is up), as a plain consumer of OpenWhisk's user events does.
   */
  List<JsonObject> readEvents(Predicate<List<JsonObject>> enough, Duration within) {
    List<JsonObject> events = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
        "group.id", "check-" + UUID.randomUUID(), "auto.offset.reset", "earliest",
        "key.deserializer", StringDeserializer.class.getName(), "value.deserializer", StringDeserializer.class.getName()))) {
      consumer.subscribe(List.of("events"));
      long deadline = System.nanoTime() + within.toNanos();
      while (!enough.test(events) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          JsonObject e = new JsonObject(r.value());
          e.put("_key", r.key());
          events.add(e);
        }
      }
    }
    return events;
  }

  @Override
  public void close() throws IOException {
    try {
      kafka.close();
    } finally {
      couchServer.close();
    }
  }
}
