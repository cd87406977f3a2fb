package io.edgewhisk.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.edgewhisk.api.WhiskClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What one action or one request may cost the appliance (issue 7): logs, results, listings, sequences
 * and nesting, each at or past its limit, against the real appliance in a child JVM with a small heap on
 * real Podman. After each the appliance must still answer {@code /ping} within a bounded resident memory,
 * without a blocked event loop; at the end every stored record must be on the {@code activations} topic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ActivationLimitsIT {
  private static final String NS = "/api/v1/namespaces/_/";
  /** Resident memory the child may reach: the heap cap and 256 MB for classes, threads, SQLite and buffers. */
  private static final long MAX_RESIDENT_BYTES = (384L + 256) << 20;
  private static final long LOGS_LIMIT_BYTES = 10L * 1024 * 1024;

  private final ChildApplianceRun run = new ChildApplianceRun("limits-it");
  private final List<String> stored = new ArrayList<>();
  private ChildAppliance child;
  private WhiskClient wsk;

  @BeforeAll
  void start() throws Exception {
    // the packaged launcher's JVM flags (its heap cap, an exit on OutOfMemoryError, ...), so that whatever the
    // appliance cannot hold ends it as it would on a gateway
    List<String> flags = new ArrayList<>(LauncherFlags.read());
    // the collector's pauses, to tell a stopped world from a blocked event loop
    flags.add("-Xlog:gc:file=" + run.work().resolve("gc.log"));
    flags.addAll(List.of("-Dedgewhisk.namespace-defaults.invocations-per-minute=100000",
        "-Dedgewhisk.namespace-defaults.concurrent-invocations=100000",
        "-Dedgewhisk.invoker.user-memory=1536",
        // the records' 10 MB logs add up to about the default 256 MiB a topic keeps when no consumer holds it
        // (sync is off), and retention at a segment roll would then drop the oldest before the check at the end
        "-Dedgewhisk.log.retention-bytes=1GiB"));
    child = run.start(flags, LauncherFlags.environment());
    wsk = run.guest();
  }

  @AfterEach
  void stillServing() throws Exception {
    assertTrue(child.isAlive(), () -> "the appliance died:\n" + child.output());
    WhiskClient.Reply ping = new WhiskClient(child.port(), null).get("/ping");
    assertEquals(200, ping.status(), () -> "no pong: " + ping + "\n" + child.output());
    long rss = child.residentBytes();
    System.out.printf("limits: resident memory %d MB%n", rss >> 20);
    assertTrue(rss <= MAX_RESIDENT_BYTES, "resident memory " + (rss >> 20) + " MB over " + (MAX_RESIDENT_BYTES >> 20) + " MB");
    assertFalse(child.output().contains("has been blocked for"), () -> "an event loop was blocked:\n" + child.output()
        + "\ncollections of 500 ms or more:\n" + longPauses());
  }

  private String longPauses() {
    try {
      return String.join("\n", Files.readAllLines(run.work().resolve("gc.log")).stream()
          .filter(l -> l.matches(".*\\s(\\d{4,}|[5-9]\\d\\d)\\.\\d+ms$")).toList());
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  @AfterAll
  void stop() throws Exception {
    List<String> problems;
    try {
      problems = run.stop(false);
      if (problems.isEmpty()) {
        everyStoredRecordIsOnTheActivationsTopic();
      }
    } finally {
      run.deleteWork();
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
  }

  /** Items 1 and 11: fleet sync sees every record, the one with 10 MB of logs included. */
  private void everyStoredRecordIsOnTheActivationsTopic() throws Exception {
    List<String> onTopic = ActivationsTopic.read(run.stateDir()).stream().map(o -> o.getString("activationId")).toList();
    for (String id : stored) {
      assertTrue(onTopic.contains(id), "activation " + id + " is stored but not on the activations topic");
    }
  }

  @Test
  @Order(1)
  void twoMillionLogLinesAreCutAtTheLimitCountedAsStored() throws Exception {
    // the reproduction of issue 7, item 1: 2,000,000 lines of "x" (4 MB) in 64 KB writes
    put("spam", action("function main(){let s='';for(let i=0;i<2e6;i++){s+='x\\n';if(s.length>65536){"
        + "process.stdout.write(s);s=''}}process.stdout.write(s);return {}}").put("limits", new JsonObject().put("timeout", 120000)));
    WhiskClient.Reply r = wsk.post(NS + "actions/spam?blocking=true", new JsonObject());
    assertEquals(200, r.status(), r::toString);
    String id = r.json().getString("activationId");
    JsonArray logs = awaitLogs(id, 120);
    long bytes = 0;
    for (int i = 0; i < logs.size() - 1; i++) {
      bytes += logs.getString(i).getBytes(StandardCharsets.UTF_8).length + 1;
    }
    String last = logs.getString(logs.size() - 1);
    System.out.printf("limits: spam stored %d lines, %d bytes%n", logs.size(), bytes);
    assertTrue(last.endsWith("stderr: Logs were truncated because the total bytes size exceeds the limit of "
        + LOGS_LIMIT_BYTES + " bytes."), last);
    assertTrue(bytes <= LOGS_LIMIT_BYTES, "stored " + bytes + " bytes of logs, over the limit");
    assertTrue(bytes > LOGS_LIMIT_BYTES - 100, "stored only " + bytes + " bytes of logs");
    stored.add(id);
  }

  @Test
  @Order(2)
  void listingRecordsWithTenMegabytesOfLogsEachStaysWithinMemory() throws Exception {
    // 11,000 lines of 1,000 characters: each record keeps 10 MB of logs
    put("chatty", action("function main(){const l='y'.repeat(1000)+'\\n';let s='';for(let i=0;i<11000;i++){s+=l;"
        + "if(s.length>65536){process.stdout.write(s);s=''}}process.stdout.write(s);return {done:true}}"));
    int n = 12;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      WhiskClient.Reply r = wsk.post(NS + "actions/chatty?blocking=true", new JsonObject());
      assertEquals(200, r.status(), r::toString);
      ids.add(r.json().getString("activationId"));
      assertTrue(awaitLogs(ids.get(i), 120).size() > 9000);
    }
    stored.addAll(ids);

    WhiskClient.Reply summaries = wsk.get(NS + "activations?name=chatty&limit=" + n);
    assertEquals(200, summaries.status(), summaries::toString);
    assertEquals(n, summaries.array().size());
    for (Object o : summaries.array()) {
      JsonObject s = (JsonObject) o;
      assertFalse(s.containsKey("logs") || s.containsKey("response"), "a summary holds logs or a response: " + s.fieldNames());
      assertEquals(0, s.getInteger("statusCode"));
    }
    assertTrue(summaries.body().length() < 64 * 1024, "summaries of " + n + " records take " + summaries.body().length() + " bytes");

    WhiskClient.Reply docs = wsk.get(NS + "activations?name=chatty&docs=true&limit=" + n);
    assertEquals(200, docs.status(), () -> docs.status() + " " + docs.body().length());
    JsonArray records = docs.array();
    assertEquals(n, records.size());
    for (Object o : records) {
      JsonObject a = (JsonObject) o;
      assertTrue(ids.contains(a.getString("activationId")));
      assertTrue(a.getJsonArray("logs").size() > 9000, "a record listed with docs=true lacks its logs");
    }
  }

  @Test
  @Order(3)
  void manyActivationsLoggingTheirLimitAtOnceStayWithinMemory() throws Exception {
    put("chorus", action("function main(){const l='w'.repeat(1000)+'\\n';let s='';for(let i=0;i<11000;i++){s+=l;"
        + "if(s.length>65536){process.stdout.write(s);s=''}}process.stdout.write(s);return {done:true}}")
        .put("limits", new JsonObject().put("memory", 128)));
    int n = 16;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      WhiskClient.Reply r = wsk.post(NS + "actions/chorus", new JsonObject());
      assertEquals(202, r.status(), r::toString);
      ids.add(r.json().getString("activationId"));
    }
    int whole = 0;
    for (String id : ids) {
      JsonArray logs = awaitLogs(id, 240);
      String last = logs.getString(logs.size() - 1);
      // 11,000 lines of 1,000 bytes pass the 10 MB limit: cut there, or earlier by the invoker's log memory
      assertTrue(last.contains("stderr: Logs were truncated because"), () -> logs.size() + " lines, the last " + last);
      whole += last.contains("Logs were truncated because the total bytes size exceeds the limit") ? 1 : 0;
    }
    System.out.printf("limits: %d of %d concurrent activations kept their whole 10 MB of logs%n", whole, n);
    stored.addAll(ids);
  }

  @Test
  @Order(4)
  void aThirtyTwoMegabyteResultIsCutWhileItIsRead() throws Exception {
    put("huge", action("function main(){return {s:'z'.repeat(32*1000*1000)}}").put("limits", new JsonObject()
        .put("memory", 512).put("timeout", 120000)));
    WhiskClient.Reply r = wsk.post(NS + "actions/huge?blocking=true", new JsonObject());
    assertEquals(502, r.status(), r::toString);
    JsonObject response = r.json().getJsonObject("response");
    assertEquals("application error", response.getString("status"), r.body().substring(0, Math.min(500, r.body().length())));
    String error = response.getJsonObject("result").getString("error");
    assertTrue(error.startsWith("The action produced a response that exceeded the allowed length: 32000008 > 1048576 bytes."),
        error.substring(0, 200));
    stored.add(r.json().getString("activationId"));
  }

  @Test
  @Order(5)
  void aSequenceDeepenedAfterItWasCheckedStopsAtFiftyActions() throws Exception {
    put("atom", action("function main(p){return p}"));
    put("s1", sequence("atom"));
    for (int k = 2; k <= 6; k++) {
      put("s" + k, sequence("s" + (k - 1), "s" + (k - 1)));
    }
    // s6 holds 32 atomic actions; deepening s1 (checked alone) makes it 64
    put("s1", sequence("atom", "atom"));
    WhiskClient.Reply r = wsk.post(NS + "actions/s6?blocking=true", new JsonObject().put("n", 1));
    assertEquals(502, r.status(), r::toString);
    JsonObject response = r.json().getJsonObject("response");
    assertEquals("application error", response.getString("status"));
    assertEquals("Too many actions in the sequence.", response.getJsonObject("result").getString("error"));
    WhiskClient.Reply count = wsk.get(NS + "activations?name=atom&count=true");
    assertEquals(50, count.json().getInteger("activations"), "atomic actions run by one invocation");
    stored.add(r.json().getString("activationId"));
  }

  @Test
  @Order(6)
  void everyAcceptedPayloadAndResultGetsItsRecord() throws Exception {
    put("echo", action("function main(p){return p}"));
    // as deep as accepted: the record carries it two levels further down
    WhiskClient.Reply accepted = wsk.post(NS + "actions/echo", nested(998));
    assertEquals(202, accepted.status(), accepted::toString);
    JsonObject record = awaitRecord(accepted.json().getString("activationId"));
    assertEquals("success", record.getJsonObject("response").getString("status"));
    stored.add(record.getString("activationId"));
    // one level deeper cannot be recorded: refused before it is accepted
    WhiskClient.Reply refused = wsk.post(NS + "actions/echo", nested(999));
    assertEquals(400, refused.status(), refused::toString);
    assertTrue(refused.json().getString("error").contains("nests deeper than 998 levels"), refused::toString);
    // a result the action itself nests too deep is recorded as the action's error
    put("deep", action("function main(){let v=1;for(let i=0;i<1000;i++){v={a:v}}return v}"));
    WhiskClient.Reply deep = wsk.post(NS + "actions/deep", new JsonObject());
    assertEquals(202, deep.status(), deep::toString);
    JsonObject deepRecord = awaitRecord(deep.json().getString("activationId"));
    assertEquals("action developer error", deepRecord.getJsonObject("response").getString("status"), deepRecord::encode);
    stored.add(deepRecord.getString("activationId"));
  }

  private static String nested(int depth) {
    return "{\"a\":".repeat(depth - 1) + "{\"a\":1}" + "}".repeat(depth - 1);
  }

  private static JsonObject action(String code) {
    return new JsonObject().put("exec", new JsonObject().put("kind", "nodejs:default").put("code", code));
  }

  private static JsonObject sequence(String... components) {
    JsonArray c = new JsonArray();
    for (String name : components) {
      c.add("/_/" + name);
    }
    return new JsonObject().put("exec", new JsonObject().put("kind", "sequence").put("components", c));
  }

  private void put(String name, JsonObject body) {
    WhiskClient.Reply r = wsk.put(NS + "actions/" + name + "?overwrite=true", body);
    assertEquals(200, r.status(), r::toString);
  }

  private JsonObject awaitRecord(String id) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      WhiskClient.Reply r = wsk.get(NS + "activations/" + id);
      if (r.status() == 200) {
        return r.json();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no record for " + id + "\n" + child.output());
  }

  /** The logs of the record, once they are in it. */
  private JsonArray awaitLogs(String id, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      WhiskClient.Reply r = wsk.get(NS + "activations/" + id + "/logs");
      if (r.status() == 200 && !r.json().getJsonArray("logs").isEmpty()) {
        return r.json().getJsonArray("logs");
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no logs for " + id + " within " + seconds + " s\n" + child.output());
  }
}
