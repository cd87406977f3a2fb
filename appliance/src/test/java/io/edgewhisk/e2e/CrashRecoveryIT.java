package io.edgewhisk.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.edgewhisk.api.WhiskClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The promise of a non-blocking invocation: once answered 202, its activation is recorded exactly once,
 * even when the appliance is killed (SIGKILL) with thousands of them queued or running. The appliance
 * runs as a child JVM so that it can really be killed; it is restarted on the same state directory and
 * must finish what was accepted.
 */
class CrashRecoveryIT {
  private static final String NS = "/api/v1/namespaces/_/";
  private static final int INVOCATIONS = 2_000;
  private static final int CLIENT_THREADS = 32;
  private static final String ACTION = "crashy";

  private final ChildApplianceRun run = new ChildApplianceRun("crash-it");

  @AfterEach
  void cleanUp() throws Exception {
    run.finish();
  }

  private ChildAppliance startChild() throws Exception {
    return run.start(List.of(
        "-Dedgewhisk.namespace-defaults.invocations-per-minute=100000",
        "-Dedgewhisk.namespace-defaults.concurrent-invocations=100000"));
  }

  @Test
  void everyAcceptedActivationIsRecordedOnceAcrossAKill() throws Exception {
    long t0 = System.nanoTime();
    ChildAppliance child = startChild();
    WhiskClient wsk = run.guest();
    // slow enough that 2,000 cannot all finish before the kill, quick enough to finish after it
    WhiskClient.Reply put = wsk.put(NS + "actions/" + ACTION + "?overwrite=true", new JsonObject()
        .put("exec", new JsonObject().put("kind", "nodejs:default")
            .put("code", "function main(p) { return new Promise(r => setTimeout(() => r({n: p.n}), 50)); }"))
        .put("limits", new JsonObject().put("memory", 128)));
    assertEquals(200, put.status(), put::toString);
    System.out.printf("crash: first start and action in %d ms%n", ms(t0));

    long t1 = System.nanoTime();
    Map<String, Integer> accepted = invokeAll(wsk);
    assertEquals(INVOCATIONS, accepted.size(), "every invocation is answered 202 with its own id");
    System.out.printf("crash: %d non-blocking invocations accepted in %d ms%n", INVOCATIONS, ms(t1));

    int recordedBeforeKill = count(wsk);
    assertTrue(recordedBeforeKill < INVOCATIONS,
        "activations must still be in flight at the kill, but all " + recordedBeforeKill + " are recorded");
    child.kill();
    System.out.printf("crash: SIGKILL with %d of %d recorded%n", recordedBeforeKill, INVOCATIONS);

    long t2 = System.nanoTime();
    child = startChild();
    wsk = run.guest();
    System.out.printf("crash: restarted in %d ms%n", ms(t2));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    int recorded = count(wsk);
    while (recorded < INVOCATIONS && System.nanoTime() < deadline) {
      Thread.sleep(500);
      recorded = count(wsk);
    }
    System.out.printf("crash: %d recorded %d ms after the restart%n", recorded, ms(t2));
    child.output().lines().filter(l -> l.contains("replaying") || l.contains("left by an earlier run"))
        .forEach(l -> System.out.println("crash: appliance said: " + l));
    if (recorded < INVOCATIONS) {
      fail("only " + recorded + " of " + INVOCATIONS + " accepted activations recorded 240 s after the restart:\n" + child.output());
    }

    // none lost: each accepted id has its record
    for (Map.Entry<String, Integer> e : accepted.entrySet()) {
      WhiskClient.Reply r = wsk.get(NS + "activations/" + e.getKey());
      assertEquals(200, r.status(), () -> "activation " + e.getKey() + " accepted with 202 has no record: " + r);
    }
    // none twice: listing every record by name, page by page, gives each id once
    List<JsonObject> listed = listAll(wsk);
    Set<String> ids = new HashSet<>();
    int succeeded = 0;
    List<JsonObject> failed = new ArrayList<>();
    for (JsonObject a : listed) {
      String id = a.getString("activationId");
      assertTrue(ids.add(id), "activation " + id + " is recorded twice");
      assertTrue(accepted.containsKey(id), "activation " + id + " was never accepted");
      JsonObject response = a.getJsonObject("response");
      if (response.getBoolean("success", false)) {
        succeeded++;
        assertEquals(accepted.get(id), response.getJsonObject("result").getInteger("n"), () -> "result of " + id + ": " + a);
      } else {
        failed.add(a);
      }
    }
    assertEquals(INVOCATIONS, listed.size(), "records listed by name");
    assertEquals(accepted.keySet(), ids);
    assertEquals(INVOCATIONS, count(wsk));
    System.out.printf("crash: %d records, all distinct, %d succeeded, %d failed%n",
        listed.size(), succeeded, listed.size() - succeeded);
    failed.stream().limit(5).forEach(a -> System.out.println("crash: failed: " + a.encode()));
    assertTrue(succeeded >= recordedBeforeKill, "fewer activations succeeded (" + succeeded + ") than had been recorded before the kill (" + recordedBeforeKill + ")");
  }

  /**
   * A blocking invocation starts before its record is on the invoke topic (the record is written beside it):
   * killed while it runs, it is run again after the restart and recorded once.
   */
  @Test
  void aBlockingActivationKilledWhileItRunsIsRecordedOnce() throws Exception {
    ChildAppliance child = startChild();
    WhiskClient wsk = run.guest();
    putSlowpoke(wsk);
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      WhiskClient blocking = wsk;
      Future<?> call = caller.submit(() -> {
        try {
          return blocking.post(NS + "actions/slowpoke?blocking=true", new JsonObject().put("n", 7));
        } catch (RuntimeException e) {
          return null; // the connection goes with the appliance
        }
      });
      killWhileSlowpokeRuns(child, wsk);
      call.get(30, TimeUnit.SECONDS);
    } finally {
      caller.shutdownNow();
    }
    assertSlowpokeRecordedOnceAfterRestart();
  }

  /**
   * A rule's invocation starts beside the durable write of its record while the invoke feed is idle: its
   * trigger's fire answered (202, as a sensor's PUBACK), then killed while the action runs, it is run again
   * after the restart and recorded once.
   */
  @Test
  void aRulesActivationKilledWhileItRunsAfterItsFireWasAnsweredIsRecordedOnce() throws Exception {
    ChildAppliance child = startChild();
    WhiskClient wsk = run.guest();
    putSlowpoke(wsk);
    assertEquals(200, wsk.put(NS + "triggers/tick?overwrite=true", new JsonObject()).status());
    WhiskClient.Reply rule = wsk.put(NS + "rules/onTick?overwrite=true",
        new JsonObject().put("trigger", "tick").put("action", "slowpoke"));
    assertEquals(200, rule.status(), rule::toString);
    WhiskClient.Reply fired = wsk.post(NS + "triggers/tick", new JsonObject().put("n", 7));
    assertEquals(202, fired.status(), fired::toString);
    killWhileSlowpokeRuns(child, wsk);
    assertSlowpokeRecordedOnceAfterRestart();
  }

  /** An action that answers its {@code n} after 3 s. */
  private static void putSlowpoke(WhiskClient wsk) {
    WhiskClient.Reply put = wsk.put(NS + "actions/slowpoke?overwrite=true", new JsonObject()
        .put("exec", new JsonObject().put("kind", "nodejs:default")
            .put("code", "function main(p) { return new Promise(r => setTimeout(() => r({n: p.n}), 3000)); }")));
    assertEquals(200, put.status(), put::toString);
  }

  private static void killWhileSlowpokeRuns(ChildAppliance child, WhiskClient wsk) throws Exception {
    Thread.sleep(1500); // running: started (a stem cell, or a cold start of under a second), not finished
    assertEquals(0, count(wsk, "slowpoke"), "still running at the kill");
    child.kill();
  }

  /** After a restart: the unfinished invocation is replayed, and slowpoke has exactly one record, of n = 7. */
  private void assertSlowpokeRecordedOnceAfterRestart() throws Exception {
    ChildAppliance restarted = startChild();
    WhiskClient wsk = run.guest();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (count(wsk, "slowpoke") < 1 && System.nanoTime() < deadline) {
      Thread.sleep(250);
    }
    assertTrue(restarted.output().contains("replaying 1 invocations not finished"), "its record was on the topic, unfinished");
    Thread.sleep(4000); // long enough for a second run to finish, were there one
    WhiskClient.Reply r = wsk.get(NS + "activations?name=slowpoke&docs=true");
    assertEquals(200, r.status(), r::toString);
    JsonArray records = r.array();
    assertEquals(1, records.size(), () -> "one record after the restart: " + records.encode() + "\n" + restarted.output());
    assertEquals(7, records.getJsonObject(0).getJsonObject("response").getJsonObject("result").getInteger("n"));
  }

  /** Fires the invocations from {@link #CLIENT_THREADS} threads; answers the 202 ids with their n. */
  private Map<String, Integer> invokeAll(WhiskClient wsk) throws Exception {
    Map<String, Integer> accepted = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(CLIENT_THREADS);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < INVOCATIONS; i++) {
        int n = i;
        sent.add(pool.submit(() -> {
          WhiskClient.Reply r = wsk.post(NS + "actions/" + ACTION, new JsonObject().put("n", n));
          if (r.status() != 202) {
            throw new AssertionError("invocation " + n + " answered " + r);
          }
          Integer before = accepted.put(r.json().getString("activationId"), n);
          if (before != null) {
            throw new AssertionError("activation id " + r.json().getString("activationId") + " answered twice");
          }
          return null;
        }));
      }
      for (Future<?> f : sent) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
    return accepted;
  }

  private static int count(WhiskClient wsk) {
    return count(wsk, ACTION);
  }

  private static int count(WhiskClient wsk, String action) {
    WhiskClient.Reply r = wsk.get(NS + "activations?name=" + action + "&count=true");
    assertEquals(200, r.status(), r::toString);
    return r.json().getInteger("activations");
  }

  private static List<JsonObject> listAll(WhiskClient wsk) {
    List<JsonObject> all = new ArrayList<>();
    for (int skip = 0; ; skip += 200) {
      WhiskClient.Reply r = wsk.get(NS + "activations?name=" + ACTION + "&docs=true&limit=200&skip=" + skip);
      assertEquals(200, r.status(), r::toString);
      JsonArray page = r.array();
      page.forEach(o -> all.add((JsonObject) o));
      if (page.size() < 200) {
        return all;
      }
    }
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }
}
