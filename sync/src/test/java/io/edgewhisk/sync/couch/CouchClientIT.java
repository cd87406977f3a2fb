package io.edgewhisk.sync.couch;

import static io.edgewhisk.sync.testing.Await.answered;
import static io.edgewhisk.sync.testing.Await.failure;
import static io.edgewhisk.sync.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.sync.testing.Await;
import io.edgewhisk.sync.testing.PouchDbServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CouchDB client against a real CouchDB-speaking server (pouchdb-server 4.2.0). */
class CouchClientIT {
  /**
   * How long a test's own set-up requests are asked again: now and then one gets no answer until the client's
   * bound (also with an idle server; seen in CI), which the plugin retries like any transient failure.
   */
  static final Duration SETUP = Duration.ofSeconds(90);
  static PouchDbServer server;
  static Vertx vertx;
  static CouchClient couch;

  /** A set-up request, asked again while it fails transiently for up to {@link #SETUP}. */
  static <T> T setUp(java.util.function.Supplier<Future<T>> request) {
    return answered("the set-up", SETUP, request);
  }

  @BeforeAll
  static void start() {
    server = PouchDbServer.inMemory();
    vertx = Vertx.vertx();
    couch = new CouchClient(vertx, new CouchEndpoint(URI.create(server.url()), null, null), Duration.ofSeconds(10), 4);
  }

  @AfterAll
  static void stop() {
    if (couch != null) {
      result(couch.close());
    }
    if (vertx != null) {
      result(vertx.close());
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void documentIdsWithSlashesTravelPercentEncoded() {
    result(couch.createDatabase("ids"));
    result(couch.createDatabase("ids")); // existing: fine
    String rev = result(couch.put("ids", "guest/pkg/hello world", new JsonObject().put("a", 1)));
    JsonObject doc = result(couch.get("ids", "guest/pkg/hello world"));
    assertEquals("guest/pkg/hello world", doc.getString("_id"));
    assertEquals(rev, doc.getString("_rev"));
    assertNull(result(couch.find("ids", "guest/other")));
    CouchException e = assertInstanceOf(CouchException.class, failure(couch.get("ids", "guest/other")));
    assertEquals(404, e.status());
    assertTrue(e.isNotFound());
  }

  @Test
  void bulkDocsAnswersPerDocumentAndAConflictIsAnError() {
    setUp(() -> couch.createDatabase("bulk"));
    JsonArray docs = new JsonArray()
        .add(new JsonObject().put("_id", "guest/0123456789abcdef0123456789abcdef").put("n", 1))
        .add(new JsonObject().put("_id", "guest/fedcba9876543210fedcba9876543210").put("n", 2));
    List<BulkResult> first = result(couch.bulkDocs("bulk", docs));
    assertEquals(2, first.size());
    assertTrue(first.stream().allMatch(BulkResult::ok), first.toString());
    List<BulkResult> again = result(couch.bulkDocs("bulk", docs));
    assertTrue(again.stream().allMatch(BulkResult::conflict), again.toString());
    assertEquals("guest/0123456789abcdef0123456789abcdef", again.get(0).id());
  }

  @Test
  void longpollWaitsForTheNextChangeAndSequencesAreOpaque() {
    setUp(() -> couch.createDatabase("feed"));
    setUp(() -> couch.put("feed", "guest/a", new JsonObject()));
    ChangesBatch initial = result(couch.changes("feed", ChangesQuery.longpoll(ChangeSeq.START, 100, 5_000, 1_000)));
    assertEquals(1, initial.results().size());
    assertEquals("guest/a", initial.results().get(0).id());
    assertEquals("guest/a", initial.results().get(0).doc().getString("_id"));
    // The next request waits (heartbeats keep the link alive) until a change arrives.
    Future<ChangesBatch> next = couch.changes("feed", ChangesQuery.longpoll(initial.lastSeq(), 100, 30_000, 500));
    vertx.setTimer(2_000, t -> couch.put("feed", "guest/b", new JsonObject().put("x", 1)));
    ChangesBatch b = result(next);
    assertEquals(List.of("guest/b"), b.results().stream().map(Change::id).toList());
    assertFalse(b.lastSeq().equals(initial.lastSeq()));
    // a deletion is a row with deleted: true
    String rev = result(couch.get("feed", "guest/b")).getString("_rev");
    result(couch.delete("feed", "guest/b", rev));
    ChangesBatch del = result(couch.changes("feed", ChangesQuery.longpoll(b.lastSeq(), 100, 5_000, 1_000)));
    assertTrue(del.results().get(0).deleted());
  }

  @Test
  void continuousFeedHandsRowsOverInOrderWithBackPressure() {
    setUp(() -> couch.createDatabase("cont"));
    for (int i = 0; i < 5; i++) {
      String id = "guest/d" + i;
      setUp(() -> couch.put("cont", id, new JsonObject()));
    }
    List<String> seen = new CopyOnWriteArrayList<>();
    // pouchdb-server never ends a continuous feed (CouchDB ends it after `timeout`): closing the client does.
    CouchClient feedClient = new CouchClient(vertx, couch.endpoint(), Duration.ofSeconds(10), 1);
    Future<ChangeSeq> feed = feedClient.continuousChanges("cont",
        new ChangesQuery(ChangesQuery.Feed.CONTINUOUS, ChangeSeq.START, 0, true, 60_000, 500),
        c -> {
          seen.add(c.id());
          return vertx.timer(20).mapEmpty(); // slow consumer: the feed waits
        });
    Await.until("five rows", Duration.ofSeconds(30), () -> seen.size() >= 5);
    setUp(() -> couch.put("cont", "guest/late", new JsonObject()));
    Await.until("the row written while following", Duration.ofSeconds(30), () -> seen.size() >= 6);
    assertEquals(List.of("guest/d0", "guest/d1", "guest/d2", "guest/d3", "guest/d4", "guest/late"), seen);
    assertFalse(feed.isComplete());
    result(feedClient.close());
    Await.until("the feed ends with its client", Duration.ofSeconds(10), feed::isComplete);
  }

  @Test
  void attachmentsAndLocalDocuments() {
    setUp(() -> couch.createDatabase("att"));
    String rev = result(couch.put("att", "guest/zip", new JsonObject().put("exec", new JsonObject())));
    Buffer bytes = Buffer.buffer(new byte[] {'P', 'K', 3, 4, 0, (byte) 0xff});
    result(couch.putAttachment("att", "guest/zip", rev, "a8c1-uuid", "application/zip", bytes));
    assertEquals(bytes, result(couch.attachment("att", "guest/zip", "a8c1-uuid")));
    assertEquals(404, ((CouchException) failure(couch.attachment("att", "guest/zip", "missing"))).status());

    String lrev = result(couch.put("att", "_local/edge-checkpoint", new JsonObject().put("seq", 7)));
    JsonObject local = result(couch.get("att", "_local/edge-checkpoint"));
    assertEquals(7, local.getInteger("seq"));
    assertEquals(lrev, local.getString("_rev"));
  }

  @Test
  void aMissingDatabaseAndAnUnreachableServerAreClearFailures() {
    CouchException missing = (CouchException) failure(couch.databaseInfo("no_such_db"));
    assertEquals(404, missing.status());
    CouchClient nowhere = new CouchClient(vertx, new CouchEndpoint(URI.create("http://127.0.0.1:1"), "u", "secret"),
        Duration.ofSeconds(2), 1);
    CouchException down = (CouchException) failure(nowhere.databaseInfo("x"));
    assertEquals(0, down.status());
    assertTrue(down.isTransient());
    assertFalse(down.getMessage().contains("secret"));
    assertFalse(nowhere.endpoint().toString().contains("secret"));
    result(nowhere.close());
  }
}
