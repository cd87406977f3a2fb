package io.edgewhisk.sync.pull;

import static io.edgewhisk.sync.testing.Await.result;
import static io.edgewhisk.sync.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.spi.EntityDocument;
import io.edgewhisk.spi.Subject;
import io.edgewhisk.sync.couch.CouchClient;
import io.edgewhisk.sync.couch.CouchEndpoint;
import io.edgewhisk.sync.fakes.InMemoryEntities;
import io.edgewhisk.sync.fakes.InMemoryIdentities;
import io.edgewhisk.sync.fakes.SqlitePluginDatabase;
import io.edgewhisk.sync.link.LinkState;
import io.edgewhisk.sync.state.PullState;
import io.edgewhisk.sync.state.SyncSchema;
import io.edgewhisk.sync.testing.PouchDbServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pull from a real CouchDB-speaking server into the SPI's services (in memory here). */
class PullIT {
  static final String WHISKS = "whisk_local_whisks";
  static final String SUBJECTS = "whisk_local_subjects";
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  PouchDbServer server;
  Vertx vertx;
  CouchClient central;
  CouchClient deviceCouch;
  SqlitePluginDatabase database;
  PullState state;
  InMemoryEntities entities;
  InMemoryIdentities identities;
  FleetPull pull;

  @BeforeEach
  void start() {
    server = PouchDbServer.inMemory();
    vertx = Vertx.vertx();
    central = new CouchClient(vertx, new CouchEndpoint(URI.create(server.url()), null, null), Duration.ofSeconds(10), 4);
    result(central.createDatabase(WHISKS));
    result(central.createDatabase(SUBJECTS));
    database = new SqlitePluginDatabase(vertx, dir.resolve("state.db"), SyncSchema.migrations());
    state = new PullState(database);
    entities = new InMemoryEntities();
    identities = new InMemoryIdentities();
  }

  FleetPull startPull(Set<String> labels) {
    deviceCouch = new CouchClient(vertx, central.endpoint(), Duration.ofSeconds(10), 4);
    FleetPull p = new FleetPull(vertx, deviceCouch, entities, identities, state,
        new FleetFilter(Set.of("guest"), labels, false), PullReporter.NONE,
        new FleetPull.Settings(WHISKS, SUBJECTS, new ChangesFollower.Settings(500, 30_000, 1_000), 6, 100, 5, 200, 30_000, 1_000),
        new LinkState("pull", Clock.systemUTC()), Clock.systemUTC());
    p.start();
    return p;
  }

  void stopPull() {
    if (pull != null) {
      pull.stop();
      result(deviceCouch.close());
      pull = null;
    }
  }

  @AfterEach
  void stop() throws Exception {
    stopPull();
    if (database != null) {
      database.close();
    }
    if (vertx != null) {
      result(vertx.close());
    }
    if (server != null) {
      server.close();
    }
  }

  String put(JsonObject doc) {
    JsonObject existing = result(central.find(WHISKS, doc.getString("_id")));
    if (existing != null) {
      doc.put("_rev", existing.getString("_rev"));
    } else {
      doc.remove("_rev");
    }
    return result(central.put(WHISKS, doc.getString("_id"), doc));
  }

  String code(String name) {
    EntityDocument d = entities.entity(name);
    return d == null ? null : d.entity().getJsonObject("exec").getString("code");
  }

  @Test
  void initialAndIncrementalPullOfEveryEntityShape() throws Exception {
    // what the central cluster has before the gateway first connects
    put(CentralDocs.pkg("guest", "utils", "berlin"));
    put(CentralDocs.binding("guest", "myutils", "guest", "utils", "berlin"));
    put(CentralDocs.nodeAction("guest/utils", "date", "function main(){return {d:1}}", "berlin"));
    put(CentralDocs.nodeAction("guest", "hello", "function main(){return {hello:1}}", "*"));
    JsonObject zip = CentralDocs.couchAction("guest", "zipped", "9a0e-att", true, "python:3.11", "berlin");
    String rev = put(zip);
    byte[] zipBytes = Files.readAllBytes(writeZip());
    result(central.putAttachment(WHISKS, "guest/zipped", rev, "9a0e-att", "application/zip", Buffer.buffer(zipBytes)));
    put(CentralDocs.sequence("guest", "seq", "/guest/hello", "/guest/utils/date"));
    put(CentralDocs.nodeAction("guest", "paris-only", "x", "paris"));
    put(CentralDocs.nodeAction("guest", "unlabelled", "x"));
    put(CentralDocs.nodeAction("other", "elsewhere", "x", "*"));
    put(CentralDocs.rule("guest", "r1", "t", "hello", "berlin"));   // before its trigger: order must not matter
    put(CentralDocs.rule("guest", "r2", "t", "zipped", "berlin"));
    put(CentralDocs.trigger("guest", "t", new JsonObject()
        .put("guest/r1", CentralDocs.ruleEntry("guest", "hello", "active"))
        .put("guest/r2", CentralDocs.ruleEntry("guest", "zipped", "inactive")), "berlin"));

    pull = startPull(Set.of("berlin"));
    until("every matching entity", WAIT, () -> entities.all().size() == 9);
    assertEquals(Set.of("/guest/utils", "/guest/myutils", "/guest/utils/date", "/guest/hello", "/guest/zipped",
        "/guest/seq", "/guest/r1", "/guest/r2", "/guest/t"), entities.all().keySet());
    assertEquals("function main(){return {hello:1}}", code("/guest/hello"));
    assertEquals(Base64.getEncoder().encodeToString(zipBytes), code("/guest/zipped"));
    assertEquals("active", entities.entity("/guest/r1").entity().getString("status"));
    assertEquals("inactive", entities.entity("/guest/r2").entity().getString("status"));
    assertEquals("/guest/t", entities.entity("/guest/r2").entity().getString("trigger"));
    assertEquals("guest", entities.entity("/guest/myutils").entity().getJsonObject("binding").getString("namespace"));
    assertTrue(entities.all().values().stream().allMatch(d -> d.origin().equals(EntityDocument.FLEET)));

    // incremental: an update, a rule status change (in the trigger only), a deletion, a label change
    put(CentralDocs.nodeAction("guest", "hello", "function main(){return {hello:2}}", "*"));
    put(CentralDocs.trigger("guest", "t", new JsonObject()
        .put("guest/r1", CentralDocs.ruleEntry("guest", "hello", "inactive"))
        .put("guest/r2", CentralDocs.ruleEntry("guest", "zipped", "inactive")), "berlin"));
    JsonObject date = result(central.get(WHISKS, "guest/utils/date"));
    result(central.delete(WHISKS, "guest/utils/date", date.getString("_rev")));
    put(CentralDocs.nodeAction("guest", "paris-only", "x", "berlin"));  // now ours
    put(CentralDocs.binding("guest", "myutils", "guest", "utils", "paris")); // no longer ours
    until("the incremental changes", WAIT, () -> "function main(){return {hello:2}}".equals(code("/guest/hello"))
        && entities.entity("/guest/utils/date") == null && entities.entity("/guest/paris-only") != null
        && entities.entity("/guest/myutils") == null
        && "inactive".equals(entities.entity("/guest/r1").entity().getString("status")));
  }

  @Test
  void aRestartResumesAfterTheCheckpointAndAppliesNothingTwice() {
    for (int i = 0; i < 20; i++) {
      put(CentralDocs.nodeAction("guest", "a" + i, "x" + i, "*"));
    }
    pull = startPull(Set.of());
    until("20 actions", WAIT, () -> entities.all().size() == 20);
    until("the checkpoint saved", WAIT, () -> !result(state.checkpoint(EntityPuller.FEED)).query().equals("0"));
    stopPull();
    int appliedBefore = entities.applied.size();
    put(CentralDocs.nodeAction("guest", "late", "y", "*"));
    pull = startPull(Set.of());
    until("the action written while stopped", WAIT, () -> entities.entity("/guest/late") != null);
    assertEquals(appliedBefore + 1, entities.applied.size(), "only the new change is applied: " + entities.applied);
  }

  @Test
  void aDocumentWaitingForWhatItNeedsIsAppliedWhenThatComesEvenWithTheFeedsQuiet() {
    put(CentralDocs.nodeAction("guest/tools", "a", "x", "*"));
    pull = startPull(Set.of());
    until("reported, to be tried again", WAIT, () -> result(state.errors(EntityPuller.FEED, 10)).stream()
        .anyMatch(e -> e.docId().equals("guest/tools/a") && e.retry()));
    // what it waits for arrives without a change on either feed (as a namespace's subject can come first)
    entities.putLocal("packages", "/guest/tools", new JsonObject());
    until("applied by a retry", WAIT, () -> entities.entity("/guest/tools/a") != null);
    until("no longer reported", WAIT, () -> result(state.errors(EntityPuller.FEED, 10)).isEmpty());
  }

  @Test
  void poisonAndUnsupportedDocumentsAreReportedAndTheFeedGoesOn() {
    JsonObject s3 = CentralDocs.couchAction("guest", "far", "x", false, "nodejs:18", "*");
    s3.getJsonObject("exec").getJsonObject("code").put("attachmentName", "s3:bucket/far");
    put(s3);
    put(CentralDocs.nodeAction("guest", "bad", "x", "*").put("parameters", "not an array"));
    JsonObject missing = CentralDocs.couchAction("guest", "noatt", "never", false, "nodejs:18", "*");
    put(missing);
    put(CentralDocs.nodeAction("guest", "good", "x", "*"));
    pull = startPull(Set.of());
    until("the good one", WAIT, () -> entities.entity("/guest/good") != null);
    until("three reported", WAIT, () -> result(state.errors(EntityPuller.FEED, 10)).size() == 3);
    List<PullState.PullError> errors = result(state.errors(EntityPuller.FEED, 10));
    PullState.PullError far = errors.stream().filter(e -> e.docId().equals("guest/far")).findFirst().orElseThrow();
    assertTrue(far.reason().contains("s3:"), far.reason());
    assertFalse(far.retry());
    PullState.PullError noatt = errors.stream().filter(e -> e.docId().equals("guest/noatt")).findFirst().orElseThrow();
    assertTrue(noatt.retry(), "a missing attachment may yet come");
    assertNull(entities.entity("/guest/far"));
    assertNull(entities.entity("/guest/bad"));
  }

  @Test
  void aCouchAttachmentWrittenAMomentAfterItsDocumentIsFetched() {
    pull = startPull(Set.of());
    String rev = put(CentralDocs.couchAction("guest", "slow", "5e1d", false, "nodejs:18", "*"));
    vertx.setTimer(700, t -> central.putAttachment(WHISKS, "guest/slow", rev, "5e1d", "text/plain",
        Buffer.buffer("function main(){return {late:true}}")));
    until("the late code", WAIT, () -> "function main(){return {late:true}}".equals(code("/guest/slow")));
  }

  @Test
  void aLocalEntityOfTheSameNameIsReplacedAndRemembered() {
    entities.putLocal("actions", "/guest/hello", new JsonObject().put("exec", new JsonObject().put("code", "local")));
    put(CentralDocs.nodeAction("guest", "hello", "central", "*"));
    pull = startPull(Set.of());
    until("the central one", WAIT, () -> "central".equals(code("/guest/hello")));
    assertEquals(List.of("/guest/hello"), result(state.replaced()));
  }

  @Test
  void subjectsAndLimitsArePulledAndRotationsRevocationsAndDeletionsArrive() {
    String uuid = "23bc46b1-71f6-4ed5-8c54-816aa4f8c502";
    JsonObject subject = new JsonObject().put("subject", "alice").put("namespaces", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("name", "guest").put("uuid", uuid).put("key", "k1"))
        .add(new JsonObject().put("name", "notserved").put("uuid", "u2").put("key", "k2")));
    String rev = result(central.put(SUBJECTS, "alice", subject));
    result(central.put(SUBJECTS, "guest/limits", new JsonObject().put("invocationsPerMinute", 7).put("concurrentInvocations", 3)
        .put("somethingElse", 1)));
    pull = startPull(Set.of());
    until("alice's key", WAIT, () -> result(identities.byKey(uuid + ":k1")) != null);
    Subject s = result(identities.byNamespace("guest"));
    assertEquals("alice", s.subject());
    assertEquals(new JsonObject().put("invocationsPerMinute", 7).put("concurrentInvocations", 3), s.limits());
    assertNull(result(identities.byNamespace("notserved")));

    // a rotated key arrives; the old one stops working
    subject.put("_rev", rev);
    subject.getJsonArray("namespaces").getJsonObject(0).put("key", "k1-rotated");
    rev = result(central.put(SUBJECTS, "alice", subject));
    until("the rotated key", WAIT, () -> result(identities.byKey(uuid + ":k1-rotated")) != null);
    assertNull(result(identities.byKey(uuid + ":k1")));
    // new limits arrive on their own
    JsonObject limits = result(central.get(SUBJECTS, "guest/limits")).put("invocationsPerMinute", 70);
    result(central.put(SUBJECTS, "guest/limits", limits));
    until("the new limits", WAIT, () -> result(identities.byNamespace("guest")).limits().getInteger("invocationsPerMinute") == 70);
    // revoked
    subject.put("_rev", rev).put("blocked", true);
    rev = result(central.put(SUBJECTS, "alice", subject));
    until("blocked", WAIT, () -> result(identities.byNamespace("guest")).blocked());
    // deleted
    result(central.delete(SUBJECTS, "alice", rev));
    until("the namespace removed", WAIT, () -> result(identities.byNamespace("guest")) == null);
  }

  private Path writeZip() throws Exception {
    Path zip = dir.resolve("a.zip");
    try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new java.util.zip.ZipEntry("__main__.py"));
      out.write("def main(args):\n  return {'zip': True}\n".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return zip;
  }
}
