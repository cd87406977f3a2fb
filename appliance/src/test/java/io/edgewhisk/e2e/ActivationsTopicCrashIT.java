package io.edgewhisk.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.edgewhisk.api.WhiskClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fleet sync pushes activation records from the {@code activations} topic, so every stored record must be
 * on it, even when the appliance is killed (SIGKILL) between storing a record and appending it: killed
 * with hundreds of activations finishing, restarted on the same state, every stored record is on the
 * topic afterwards, and nothing was counted as unappended.
 */
class ActivationsTopicCrashIT {
  private static final String NS = "/api/v1/namespaces/_/";
  /** At most this many are sent; the kill comes long before, with senders still sending. */
  private static final int INVOCATIONS = 20_000;
  private static final int SENDERS = 16;
  private static final long PACE_MS = 50;
  private static final int RECORDED_BEFORE_KILL = 150;

  private final ChildApplianceRun run = new ChildApplianceRun("topic-it");

  @AfterEach
  void cleanUp() throws Exception {
    run.finish(true); // an appliance left running by a failure is killed: its state is deleted anyway
  }

  private WhiskClient start() throws Exception {
    run.start(List.of(
        "-Dedgewhisk.namespace-defaults.invocations-per-minute=100000",
        "-Dedgewhisk.namespace-defaults.concurrent-invocations=100000"));
    return run.guest();
  }

  @Test
  void everyStoredRecordIsOnTheTopicAcrossAKill() throws Exception {
    WhiskClient wsk = start();
    WhiskClient.Reply put = wsk.put(NS + "actions/tick?overwrite=true", new JsonObject()
        .put("exec", new JsonObject().put("kind", "nodejs:default")
            .put("code", "function main(p) { return new Promise(r => setTimeout(() => r({n: p.n}), 20)); }"))
        .put("limits", new JsonObject().put("memory", 128).put("concurrency", 50)));
    assertEquals(200, put.status(), put::toString);
    // invocations keep coming while the appliance is killed: some are accepted, running, being recorded
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
    WhiskClient sender = wsk;
    java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
    for (int t = 0; t < SENDERS; t++) {
      pool.submit(() -> {
        // paced, so that invocations are still arriving (and the backlog stays small) when the kill comes
        for (int n = sent.getAndIncrement(); n < INVOCATIONS; n = sent.getAndIncrement()) {
          try {
            WhiskClient.Reply r = sender.post(NS + "actions/tick", new JsonObject().put("n", n));
            if (r.status() == 202) {
              accepted.add(r.json().getString("activationId"));
            }
            Thread.sleep(PACE_MS);
          } catch (InterruptedException e) {
            return;
          } catch (RuntimeException e) {
            // the appliance was killed under this request: it was never accepted
          }
        }
      });
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (count(wsk) < RECORDED_BEFORE_KILL && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    run.child().kill();
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
    System.out.printf("topic: SIGKILL with %d accepted%n", accepted.size());
    assertTrue(accepted.size() < INVOCATIONS, "every invocation was accepted before the kill");

    wsk = start();
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (!storedIds(wsk).containsAll(accepted) && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    Set<String> storedIds = storedIds(wsk);
    assertTrue(storedIds.containsAll(accepted), () -> "not every accepted activation was recorded:\n" + run.child().output());
    WhiskClient.Reply metrics = new WhiskClient(run.child().port(), null).get("/metrics");
    assertTrue(metrics.body().contains("edgewhisk_activations_unappended_total 0"), metrics.body());
    assertEquals(0, run.child().stop(), run.child()::output);

    List<JsonObject> topic = ActivationsTopic.read(run.stateDir());
    Set<String> onTopic = new HashSet<>();
    topic.forEach(o -> onTopic.add(o.getString("activationId")));
    Set<String> missing = new HashSet<>(storedIds);
    missing.removeAll(onTopic);
    System.out.printf("topic: %d stored, %d records on the topic (%d distinct)%n", storedIds.size(), topic.size(), onTopic.size());
    assertTrue(missing.isEmpty(), missing.size() + " stored records are not on the activations topic, e.g. "
        + missing.stream().limit(5).toList());
  }

  private static int count(WhiskClient wsk) {
    WhiskClient.Reply r = wsk.get(NS + "activations?name=tick&count=true");
    assertEquals(200, r.status(), r::toString);
    return r.json().getInteger("activations");
  }

  private static Set<String> storedIds(WhiskClient wsk) {
    Set<String> ids = new HashSet<>();
    for (int skip = 0; ; skip += 200) {
      WhiskClient.Reply r = wsk.get(NS + "activations?name=tick&limit=200&skip=" + skip);
      assertEquals(200, r.status(), r::toString);
      JsonArray page = r.array();
      page.forEach(o -> ids.add(((JsonObject) o).getString("activationId")));
      if (page.size() < 200) {
        return ids;
      }
    }
  }
}
