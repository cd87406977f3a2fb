package io.edgewhisk.sync;

import static io.edgewhisk.sync.testing.Await.answered;
import static io.edgewhisk.sync.testing.Await.result;
import static io.edgewhisk.sync.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.edgewhisk.spi.HealthComponent;
import io.edgewhisk.spi.Subject;
import io.edgewhisk.sync.couch.CouchClient;
import io.edgewhisk.sync.couch.CouchEndpoint;
import io.edgewhisk.sync.fakes.CoreLogTopics;
import io.edgewhisk.sync.fakes.InMemoryEntities;
import io.edgewhisk.sync.fakes.InMemoryIdentities;
import io.edgewhisk.sync.fakes.RecordingTelemetry;
import io.edgewhisk.sync.fakes.SqlitePluginDatabase;
import io.edgewhisk.sync.fakes.TestPluginContext;
import io.edgewhisk.sync.push.ActivationRecords;
import io.edgewhisk.sync.state.SyncSchema;
import io.edgewhisk.sync.status.StatusStore;
import io.edgewhisk.sync.testing.KafkaNode;
import io.edgewhisk.sync.testing.PouchDbServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole plugin, deployed as the appliance deploys it, on the core's real file log, against a real
 * CouchDB-speaking server and a real Kafka broker, both taken away and brought back.
 */
class SyncPluginIT {
  static final Duration WAIT = Duration.ofSeconds(120);
  static final int OFFLINE = 5_000;

  @TempDir Path dir;

  @Test
  void activationsMadeOfflineAllReachCouchDbExactlyOnceAndKafkaAtLeastOnce() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (PouchDbServer couchServer = PouchDbServer.onDisk(); KafkaNode kafka = KafkaNode.start();
         SqlitePluginDatabase db = new SqlitePluginDatabase(vertx, dir.resolve("state.db"), SyncSchema.migrations())) {
      couchServer.addAdmin("admin", "s3cret");
      CouchClient central = new CouchClient(vertx, new CouchEndpoint(URI.create(couchServer.url()), "admin", "s3cret"),
          Duration.ofSeconds(10), 4);
      for (String name : List.of("whisk_local_whisks", "whisk_local_subjects", "whisk_local_activations")) {
        answered("create " + name, WAIT, () -> central.createDatabase(name));
      }
      Path password = Files.writeString(dir.resolve("couch.pw"), "s3cret\n");
      CoreLogTopics log = result(CoreLogTopics.open(vertx, dir.resolve("log")));
      InMemoryIdentities identities = new InMemoryIdentities();
      result(identities.put(new Subject("alice", "guest", "23bc46b1-71f6-4ed5-8c54-816aa4f8c502", "k", false, null)));
      RecordingTelemetry telemetry = new RecordingTelemetry();
      var section = ConfigFactory.parseString("""
          enabled = true, device-id = gw-it, labels = [berlin], namespaces = [guest]
          couchdb { url = "%s", username = admin, password-file = "%s" }
          kafka { bootstrap-servers = "%s", delivery-timeout = 10s }
          link.backoff-max = 5s
          status.interval = 1s
          """.formatted(couchServer.url(), password, kafka.bootstrapServers()));
      SyncPlugin plugin = new SyncPlugin();
      plugin.validate(section);
      assertTrue(plugin.enabled(section));
      TestPluginContext context = new TestPluginContext(SyncPlugin.complete(section), dir, vertx, identities,
          new InMemoryEntities(), log, db, telemetry);
      String deployment = result(vertx.deployVerticle(plugin.create(context)));

      append(log, 0, 100);
      until("the first 100 online", WAIT, () -> count(central) == 100);
      until("the device document", WAIT, () -> answered("the device document", WAIT,
          () -> central.find("edge_devices", "gw-it")) != null);

      couchServer.stop();
      kafka.stop();
      append(log, 100, 100 + OFFLINE);
      RecordingTelemetry.Health health = telemetry.health.get("link");
      StatusStore status = new StatusStore(db);
      until("the status shows the link down and the backlog", WAIT, () -> {
        JsonObject s = result(status.load());
        return !s.getJsonObject("links").getJsonObject("couchdb-push").getBoolean("up")
            && s.getJsonObject("outbox").getJsonObject("push-couchdb").getLong("depth") >= OFFLINE;
      });
      assertEquals(HealthComponent.Status.DOWN, health.status());
      assertTrue(health.reason().contains("down"), health.reason());
      couchServer.start();
      assertEquals(100, answered("the count after the restart", WAIT, () -> central.databaseInfo("whisk_local_activations"))
          .getInteger("doc_count"), "nothing delivered while away");

      kafka.restart();
      until("all " + OFFLINE + " delivered to CouchDB", WAIT, () -> count(central) == 100 + OFFLINE);
      try {
        until("health ok again", WAIT, () -> health.status() == HealthComponent.Status.OK);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + ": " + health.reason() + "\n" + result(status.load()).encodePrettily(), e);
      }

      Set<String> ids = new HashSet<>();
      int events = 0;
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
          "group.id", "check", "auto.offset.reset", "earliest", "key.deserializer", StringDeserializer.class.getName(),
          "value.deserializer", StringDeserializer.class.getName()))) {
        consumer.subscribe(List.of("events"));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (ids.size() < 100 + OFFLINE && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
            JsonObject e = new JsonObject(r.value());
            assertEquals("gw-it", e.getString("source"));
            assertEquals(r.key(), e.getJsonObject("body").getString("activationId"));
            ids.add(r.key());
            events++;
          }
        }
      }
      assertEquals(100 + OFFLINE, ids.size(), "every activation has its event");
      assertTrue(events >= 100 + OFFLINE);
      JsonObject device = answered("the device document", WAIT, () -> central.get("edge_devices", "gw-it"));
      assertEquals("gw-it", device.getString("device"));
      assertNotNull(device.getJsonObject("outbox"));

      result(vertx.undeploy(deployment));
      result(log.log().close());
      result(central.close());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  private static void append(CoreLogTopics log, int from, int to) {
    List<Future<Long>> all = new ArrayList<>();
    for (int i = from; i < to; i++) {
      all.add(log.appendActivation(ActivationRecords.record("guest", i).toBuffer()));
    }
    result(Future.all(all), Duration.ofSeconds(120));
  }

  /** The number of documents, or -1 while the server does not answer (the wait goes on). */
  private static int count(CouchClient central) {
    try {
      return result(central.databaseInfo("whisk_local_activations")).getInteger("doc_count");
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
