package io.edgewhisk.sync.push;

import static io.edgewhisk.sync.testing.Await.answered;
import static io.edgewhisk.sync.testing.Await.result;
import static io.edgewhisk.sync.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.spi.LogTopics;
import io.edgewhisk.spi.Subject;
import io.edgewhisk.sync.couch.CouchClient;
import io.edgewhisk.sync.couch.CouchEndpoint;
import io.edgewhisk.sync.fakes.CoreLogTopics;
import io.edgewhisk.sync.fakes.InMemoryIdentities;
import io.edgewhisk.sync.link.Backoff;
import io.edgewhisk.sync.link.LinkState;
import io.edgewhisk.sync.testing.KafkaNode;
import io.edgewhisk.sync.testing.PouchDbServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Push from the real embedded log to a real CouchDB-speaking server and a real Kafka broker. */
class PushIT {
  static final String ACTIVATIONS_DB = "whisk_local_activations";
  static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;
  Vertx vertx;
  CoreLogTopics log;
  List<AutoCloseable> closing = new ArrayList<>();
  List<PushLoop> loops = new ArrayList<>();
  List<String> rejected = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    log = result(CoreLogTopics.open(vertx, dir.resolve("log")));
  }

  @AfterEach
  void stop() throws Exception {
    for (PushLoop l : loops) {
      result(l.stop());
    }
    result(log.log().close());
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    result(vertx.close());
  }

  CouchClient couch(PouchDbServer server) {
    CouchClient c = new CouchClient(vertx, new CouchEndpoint(URI.create(server.url()), null, null), Duration.ofSeconds(5), 4);
    closing.add(() -> result(c.close()));
    return c;
  }

  PushLoop couchPush(CouchClient couch, LinkState link) {
    PushLoop loop = new PushLoop(vertx, log, "push-couch", 500,
        new CouchDelivery(vertx, couch, ACTIVATIONS_DB, "gw-test", log, 3, (id, reason) -> rejected.add(id)),
        new Backoff(100, 2_000, new Random()), link);
    result(loop.start());
    loops.add(loop);
    return loop;
  }

  void append(String ns, int from, int to) {
    List<Future<Long>> all = new ArrayList<>();
    for (int i = from; i < to; i++) {
      all.add(log.appendActivation(ActivationRecords.record(ns, i).toBuffer()));
    }
    result(Future.all(all));
  }

  int count(CouchClient couch) {
    return answered("the document count", WAIT, () -> couch.databaseInfo(ACTIVATIONS_DB)).getInteger("doc_count");
  }

  @Test
  void activationsReachTheCentralDatabaseInOpenWhisksShapeAndARepeatIsHarmless() {
    PouchDbServer server = PouchDbServer.inMemory();
    closing.add(server);
    CouchClient couch = couch(server);
    result(couch.createDatabase(ACTIVATIONS_DB));
    append("guest", 0, 1200);
    LinkState link = new LinkState("couch-push", Clock.systemUTC());
    PushLoop loop = couchPush(couch, link);
    until("1200 documents", WAIT, () -> count(couch) == 1200);
    until("the offset committed", WAIT, () -> result(loop.depth()) == 0);
    JsonObject doc = answered("a document", WAIT, () -> couch.get(ACTIVATIONS_DB, "guest/" + ActivationRecords.id(5)));
    doc.remove("_rev");
    assertEquals(ActivationDocument.of(ActivationRecords.record("guest", 5), "gw-test"), doc);
    assertTrue(link.up());

    // sent again from the start (as after a crash before the commit): conflicts, nothing doubled
    result(loop.stop());
    loops.remove(loop);
    result(log.commit(LogTopics.ACTIVATIONS, "push-couch", 0));
    PushLoop again = couchPush(couch, link);
    until("the repeat acknowledged", WAIT, () -> result(again.depth()) == 0);
    assertEquals(1200, count(couch));
    assertEquals(List.of(), rejected);
  }

  @Test
  void offlineActivationsWaitOnTheLogAndArriveWhenTheServerIsBack() {
    PouchDbServer server = PouchDbServer.onDisk();
    closing.add(server);
    CouchClient couch = couch(server);
    result(couch.createDatabase(ACTIVATIONS_DB));
    LinkState link = new LinkState("couch-push", Clock.systemUTC());
    PushLoop loop = couchPush(couch, link);
    append("guest", 0, 10);
    until("the first ten", WAIT, () -> count(couch) == 10);

    server.stop();
    append("guest", 10, 510);
    until("the link seen down", WAIT, () -> !link.up());
    assertEquals(500L, result(loop.depth()), "nothing committed while the server is away");
    assertTrue(loop.oldestPending() > 0);

    server.start();
    until("the backlog delivered", WAIT, () -> result(loop.depth()) == 0);
    assertEquals(510, count(couch));
    assertTrue(link.up());
    assertEquals(0, loop.oldestPending());
  }

  @Test
  void aDocumentTheServerRefusesIsRejectedByIdAndKeptAndTheRestGoOn() {
    PouchDbServer server = PouchDbServer.inMemory();
    closing.add(server);
    CouchClient couch = couch(server);
    result(couch.createDatabase(ACTIVATIONS_DB));
    append("guest", 0, 5);
    append("_bad", 5, 6); // an id CouchDB refuses: only reserved ids start with '_'
    append("guest", 6, 10);
    result(log.appendActivation(io.vertx.core.buffer.Buffer.buffer("not json")));
    PushLoop loop = couchPush(couch, new LinkState("couch-push", Clock.systemUTC()));
    until("all handled", WAIT, () -> result(loop.depth()) == 0);
    assertEquals(9, count(couch));
    assertEquals(List.of("_bad/" + ActivationRecords.id(5), "offset-10"), rejected.stream().sorted().toList());
    assertEquals(2L, log.endOffset(CouchDelivery.REJECTED_TOPIC), "kept on the plugin's topic");
  }

  @Test
  void userEventsReachKafkaKeyedByActivationIdAlsoAfterTheBrokerWasAway() throws Exception {
    KafkaNode kafka = KafkaNode.start();
    closing.add(kafka);
    InMemoryIdentities identities = new InMemoryIdentities();
    result(identities.put(new Subject("alice", "guest", "23bc46b1-71f6-4ed5-8c54-816aa4f8c502", "k", false, null)));
    KafkaLink link = new KafkaLink(kafka.bootstrapServers(), Map.of(), "gw-test", 10_000);
    closing.add(link);
    LinkState state = new LinkState("kafka", Clock.systemUTC());
    PushLoop loop = new PushLoop(vertx, log, "push-kafka", 500, new KafkaDelivery(link, "events", "gw-test", identities),
        new Backoff(100, 2_000, new Random()), state);
    result(loop.start());
    loops.add(loop);
    append("guest", 0, 300);
    until("300 events acknowledged", WAIT, () -> result(loop.depth()) == 0);

    kafka.stop();
    append("guest", 300, 600);
    until("the link seen down", WAIT, () -> !state.up());
    assertEquals(300L, result(loop.depth()));
    kafka.restart();
    until("the backlog published", WAIT, () -> result(loop.depth()) == 0);

    Set<String> ids = new HashSet<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
        "group.id", "check", "auto.offset.reset", "earliest", "key.deserializer", StringDeserializer.class.getName(),
        "value.deserializer", StringDeserializer.class.getName()))) {
      consumer.subscribe(List.of("events"));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (ids.size() < 600 && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          JsonObject e = new JsonObject(r.value());
          assertEquals(r.key(), e.getJsonObject("body").getString("activationId"));
          assertEquals("Activation", e.getString("eventType"));
          assertEquals("gw-test", e.getString("source"));
          assertEquals("23bc46b1-71f6-4ed5-8c54-816aa4f8c502", e.getString("userId"));
          ids.add(r.key());
        }
      }
    }
    assertEquals(600, ids.size());
    assertFalse(ids.contains(null));
  }
}
