package io.edgewhisk.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.sync.pull.CentralDocs;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Store and forward, end to end: with the central CouchDB server and Kafka broker stopped, 5,000 real
 * invocations (Podman) through the REST API of the real appliance; once both are back, the central
 * activations database holds exactly those documents, each once, and a plain Kafka consumer reads a valid
 * OpenWhisk user event for every one of them.
 */
class OfflineE2EIT {
  static final int OFFLINE = 5_000;
  static final int CLIENTS = 32;
  static final Duration WAIT = Duration.ofSeconds(150);
  static final String DEVICE = "gw-offline";
  static final String FLEET = "/api/v1/namespaces/fleet/";

  private final PodmanInstance podman = new PodmanInstance();
  private Path dir;
  private CentralCluster central;
  private SyncedAppliance appliance;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "offline-e2e-");
  }

  @AfterEach
  void stop() throws Exception {
    E2eTeardown.stopAll(appliance, podman, central, dir);
  }


  @Test
  void activationsMadeWithTheCentralClusterAwayAllArriveOnceItIsBack() throws Exception {
    long t0 = System.nanoTime();
    central = CentralCluster.start(dir);
    String[] key = CentralCluster.newKey();
    central.couch.put(CentralCluster.SUBJECTS, CentralCluster.subject("bob", key[0], key[1]));
    central.couch.put(CentralCluster.SUBJECTS, new JsonObject().put("_id", "fleet/limits")
        .put("invocationsPerMinute", 1_000_000).put("concurrentInvocations", 1_000_000));
    central.couch.replace(CentralCluster.WHISKS, CentralDocs.nodeAction("fleet", "count",
        "function main(p) { return {n: p.n}; }", "berlin"));
    System.out.printf("offline-e2e: central servers up in %d ms%n", ms(t0));
    appliance = new SyncedAppliance(dir.resolve("state"),
        central.applianceConfig(podman, DEVICE, "edgewhisk.invoker.user-memory = 1536")).start();
    System.out.printf("offline-e2e: appliance up in %d ms%n", ms(t0));
    Rest wsk = new Rest(appliance.port(), key[0] + ":" + key[1]);
    await("the central action and key at the gateway", () -> wsk.get(FLEET + "actions/count").status() == 200);
    System.out.printf("offline-e2e: action pulled in %d ms%n", ms(t0));
    Rest.Reply online = wsk.post(FLEET + "actions/count?blocking=true", new JsonObject().put("n", -1));
    assertEquals(200, online.status(), online::toString);
    String onlineId = "fleet/" + online.json().getString("activationId");
    await("the online activation in the central database", () -> central.couch.get(CentralCluster.ACTIVATIONS, onlineId) != null);
    System.out.printf("offline-e2e: servers, appliance and one online activation in %d ms%n", ms(t0));

    central.stop();
    long t1 = System.nanoTime();
    Map<String, Integer> accepted = invokeOffline(wsk);
    System.out.printf("offline-e2e: %d invocations accepted offline in %d ms%n", accepted.size(), ms(t1));
    await("all " + OFFLINE + " recorded at the gateway", () -> recorded(wsk) == OFFLINE + 1);
    System.out.printf("offline-e2e: all recorded at the gateway after %d ms%n", ms(t1));

    long t2 = System.nanoTime();
    central.restart();
    await("all delivered to the central activations database",
        () -> central.couch.count(CentralCluster.ACTIVATIONS) >= OFFLINE + 1);
    System.out.printf("offline-e2e: central back and the backlog delivered in %d ms%n", ms(t2));

    Map<String, JsonObject> docs = new HashMap<>();
    for (JsonObject doc : central.couch.docs(CentralCluster.ACTIVATIONS)) {
      assertTrue(docs.put(doc.getString("_id"), doc) == null, "twice: " + doc.getString("_id"));
    }
    Set<String> expected = new HashSet<>();
    accepted.keySet().forEach(id -> expected.add("fleet/" + id));
    expected.add(onlineId);
    assertEquals(expected, docs.keySet(), "the central activations database holds exactly the activations made");
    for (Map.Entry<String, Integer> e : accepted.entrySet()) {
      JsonObject doc = docs.get("fleet/" + e.getKey());
      assertEquals(0, doc.getJsonObject("response").getInteger("statusCode"), doc::encode);
      assertEquals(e.getValue(), doc.getJsonObject("response").getJsonObject("result").getInteger("n"), doc::encode);
      assertEquals("count", doc.getString("name"));
      assertEquals("bob", doc.getString("subject"));
    }

    Set<String> wanted = new HashSet<>(accepted.keySet());
    wanted.add(online.json().getString("activationId"));
    Set<String> seen = new HashSet<>();
    int[] counted = {0};
    List<JsonObject> events = central.readEvents(read -> {
      for (; counted[0] < read.size(); counted[0]++) {
        seen.add(read.get(counted[0]).getJsonObject("body").getString("activationId"));
      }
      return seen.containsAll(wanted);
    }, WAIT);
    assertTrue(events.size() >= OFFLINE + 1, events.size() + " events");
    for (JsonObject e : events) {
      assertValidEvent(e, key[0]);
    }
    Set<String> missing = new HashSet<>(wanted);
    missing.removeAll(seen);
    assertEquals(Set.of(), missing, "activations without a user event on Kafka");
    System.out.printf("offline-e2e: %d events read for %d activations; whole test %d ms%n", events.size(), wanted.size(), ms(t0));
  }

  private static void assertValidEvent(JsonObject e, String uuid) {
    assertEquals("Activation", e.getString("eventType"), e::encode);
    assertEquals(DEVICE, e.getString("source"), e::encode);
    assertEquals("fleet", e.getString("namespace"), e::encode);
    assertEquals("bob", e.getString("subject"), e::encode);
    assertEquals(uuid, e.getString("userId"), e::encode);
    assertTrue(e.getValue("timestamp") instanceof Number, e::encode);
    JsonObject body = e.getJsonObject("body");
    assertTrue(body.getString("activationId").matches("[0-9a-f]{32}"), e::encode);
    assertEquals(body.getString("activationId"), e.getString("_key"), "keyed by activation id");
    assertEquals("fleet/count", body.getString("name"), e::encode);
    assertEquals("nodejs:18", body.getString("kind"), e::encode);
    assertEquals(0, body.getInteger("statusCode"), e::encode);
    assertEquals(256, body.getInteger("memory"), e::encode);
    assertTrue(body.getValue("duration") instanceof Number && body.getValue("waitTime") instanceof Number, e::encode);
  }

  /** Non-blocking invocations from many clients at once; each must be answered 202 with its own id. */
  private Map<String, Integer> invokeOffline(Rest wsk) throws Exception {
    Map<String, Integer> accepted = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        running.add(clients.submit(() -> {
          for (int n = next.getAndIncrement(); n < OFFLINE; n = next.getAndIncrement()) {
            Rest.Reply r = wsk.post(FLEET + "actions/count", new JsonObject().put("n", n));
            if (r.status() != 202) {
              throw new AssertionError("invocation " + n + ": " + r);
            }
            if (accepted.put(r.json().getString("activationId"), n) != null) {
              throw new AssertionError("activation id given twice: " + r);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      clients.shutdownNow();
    }
    assertEquals(OFFLINE, accepted.size());
    return accepted;
  }

  private static int recorded(Rest wsk) {
    Rest.Reply r = wsk.get(FLEET + "activations?name=count&count=true");
    assertEquals(200, r.status(), r::toString);
    return r.json().getInteger("activations");
  }

  private void await(String what, Supplier<Boolean> condition) {
    appliance.await(what, WAIT, condition);
  }


  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }
}
