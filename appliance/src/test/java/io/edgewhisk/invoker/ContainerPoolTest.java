package io.edgewhisk.invoker;

import static io.edgewhisk.invoker.InvokerTesting.await;
import static io.edgewhisk.invoker.InvokerTesting.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.model.ActionLimits;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.Exec;
import io.edgewhisk.model.KeyValues;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pool and the container state machine against a recording fake engine: no containers. */
class ContainerPoolTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final RuntimesManifest NO_CELLS = RuntimesManifest.fromJson(new JsonObject(
      "{\"runtimes\":{\"nodejs\":[{\"kind\":\"nodejs:18\",\"default\":true,\"image\":{\"name\":\"node\"},\"stemCells\":[]}]}}"));
  private static final RuntimesManifest ONE_CELL = RuntimesManifest.fromJson(new JsonObject(
      "{\"runtimes\":{\"nodejs\":[{\"kind\":\"nodejs:18\",\"default\":true,\"image\":{\"name\":\"node\"},"
          + "\"stemCells\":[{\"initialCount\":1,\"memory\":\"256 MB\"}]}]}}"));

  private Vertx vertx;
  private RecordingContainerEngine engine;
  private PodmanInvoker invoker;
  private InvokerTesting.BlockedThreads blocked;

  @BeforeEach
  void setUp() throws Exception {
    vertx = InvokerTesting.strictVertx();
    engine = new RecordingContainerEngine(vertx);
  }

  private void start(RuntimesManifest manifest, Map<String, Object> overrides) throws Exception {
    Map<String, Object> c = new HashMap<>(Map.of("user-memory", 1024, "pause-grace", "10s", "idle-timeout", "10m",
        "log-sentinel-wait", "300ms", "log-grace", "20ms"));
    c.putAll(overrides);
    invoker = (PodmanInvoker) await(PodmanInvoker.start(vertx, InvokerTesting.config("unit", c), manifest, engine, null), WAIT);
    blocked = new InvokerTesting.BlockedThreads();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (invoker != null) {
      await(invoker.close(), WAIT);
      assertEquals(0, blocked.eventLoopWarnings());
      blocked.close();
    }
    await(vertx.close(), WAIT);
  }

  private static io.edgewhisk.model.Action action(String name, String code, ActionLimits limits) {
    return InvokerTesting.action(name, new Exec.Code("nodejs:18", code, false, null, null), limits, KeyValues.EMPTY, KeyValues.EMPTY);
  }

  private static io.edgewhisk.model.Action action(String name, String code) {
    return action(name, code, ActionLimits.DEFAULT);
  }

  private Activation invoke(io.edgewhisk.model.Action a) throws Exception {
    return await(invoker.invoke(request(a, new JsonObject().put("x", 1))), WAIT);
  }

  private static void eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT.toMillis();
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not met in time");
      }
      Thread.sleep(10);
    }
  }

  @Test
  void coldStartThenWarmReuse() throws Exception {
    start(NO_CELLS, Map.of());
    Activation a = invoke(action("a", "echo"));
    assertEquals(0, a.response().statusCode(), a.toJson().encode());
    assertNotNull(a.annotations().get("initTime"));
    assertTrue(a.logs().get(0).endsWith("stdout: run 1"), a.logs().toString());
    assertTrue(a.logs().get(1).endsWith("stderr: err 1"), a.logs().toString());
    Activation b = invoke(action("a", "echo"));
    assertNull(b.annotations().get("initTime"));
    assertEquals(2, ((JsonObject) b.response().result()).getInteger("runs"));
    assertEquals(List.of("create c1 node:latest 256"), engine.callsOf("create"));
    PoolStats stats = invoker.poolStats();
    assertEquals(1, stats.coldStarts(), stats::toString);
    assertEquals(1, stats.warmStarts(), stats::toString);
    assertEquals(0, stats.stemCellStarts(), stats::toString);
    assertEquals(1, stats.containers(), stats::toString);
    assertEquals(256, stats.memoryMb(), stats::toString);
  }

  @Test
  void activationsGivenAContainerStillBeingWarmedWaitForItsStart() throws Exception {
    start(NO_CELLS, Map.of());
    var a = action("a", "echo", new ActionLimits(60_000, 256, 10, 4));
    List<io.vertx.core.Future<Activation>> all = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      all.add(invoker.invoke(request(a, new JsonObject().put("x", i))));
    }
    for (var f : all) {
      Activation done = await(f, WAIT);
      assertEquals(0, done.response().statusCode(), done.toJson().encode());
    }
    assertEquals(1, engine.callsOf("create").size(), "one container for all four, as its concurrency allows");
  }

  @Test
  void anotherRevisionOrNamespaceGetsAnotherContainer() throws Exception {
    start(NO_CELLS, Map.of());
    var a = action("a", "echo");
    invoke(a);
    invoke(new io.edgewhisk.model.Action(a.fqn(), a.version().bumpPatch(), false, a.exec(), a.parameters(), a.annotations(),
        a.limits(), 0));
    assertEquals(2, engine.callsOf("create").size());
  }

  @Test
  void aDeveloperErrorRetiresTheContainerAfterItsLogs() throws Exception {
    start(NO_CELLS, Map.of());
    Activation a = invoke(action("a", "deverr"));
    assertEquals(2, a.response().statusCode(), a.toJson().encode());
    assertTrue(a.logs().get(0).endsWith("stdout: failing 1"), "the logs up to its sentinels: " + a.logs());
    eventually(() -> engine.callsOf("remove").equals(List.of("remove c1")));
    invoke(action("a", "deverr"));
    assertEquals(2, engine.callsOf("create").size(), "a fresh container for the next activation");
  }

  @Test
  void everyContainerHasItsOwnSecretWhichTheInvokerSends() throws Exception {
    start(NO_CELLS, Map.of());
    // the fake answers 403 to a request without the container's secret, as EdgeWhisk's proxies do
    assertEquals(0, invoke(action("a", "echo")).response().statusCode());
    assertEquals(0, invoke(action("b", "echo")).response().statusCode());
    List<ContainerProxy> all = await(io.vertx.core.Future.<List<ContainerProxy>>future(p -> invoker.pool().context()
        .runOnContext(v -> p.complete(invoker.pool().containers()))), WAIT);
    assertEquals(2, all.size());
    assertTrue(all.get(0).secret().length() >= 32, all.get(0).secret());
    assertTrue(!all.get(0).secret().equals(all.get(1).secret()), "secrets differ");
  }

  @Test
  void pausesAfterTheGraceAndResumesOnReuse() throws Exception {
    // idle-timeout 8s: the pool sweeps every 2 s, and takes its figures then
    start(NO_CELLS, Map.of("pause-grace", "100ms", "idle-timeout", "8s"));
    invoke(action("a", "echo"));
    eventually(() -> engine.callsOf("pause").size() == 1);
    eventually(() -> invoker.poolStats().paused() == 1);
    Activation b = invoke(action("a", "echo"));
    assertEquals(0, b.response().statusCode());
    assertEquals(List.of("unpause c1"), engine.callsOf("unpause"));
    assertEquals(0, invoker.poolStats().paused(), "the container is running again");
    int i = engine.calls.indexOf("unpause c1");
    assertTrue(i > engine.calls.indexOf("pause c1"));
  }

  @Test
  void usesAStemCellAndRefillsIt() throws Exception {
    start(ONE_CELL, Map.of());
    eventually(() -> engine.callsOf("start").size() == 1);
    Thread.sleep(100);
    Activation a = invoke(action("a", "echo"));
    assertEquals("c1", ((JsonObject) a.response().result()).getString("container").replaceAll(".*-", "c"));
    assertNotNull(a.annotations().get("initTime"));
    eventually(() -> engine.callsOf("start").size() == 2);
    assertEquals(2, engine.callsOf("create").size(), "one stem cell used, one made to replace it");
    assertEquals(1, invoker.poolStats().stemCellStarts());
    assertEquals(0, invoker.poolStats().coldStarts());
  }

  @Test
  void closingWhileAStemCellStartsIsQuiet() throws Exception {
    List<Throwable> unhandled = new java.util.concurrent.CopyOnWriteArrayList<>();
    vertx.exceptionHandler(unhandled::add);
    engine.deaf = true;
    start(ONE_CELL, Map.of());
    eventually(() -> engine.callsOf("start").size() == 1);
    Thread.sleep(50); // the readiness probe polls the deaf container every 5 ms
    await(invoker.close(), WAIT);
    invoker = null;
    Thread.sleep(100); // a probe's timer that fired after the close would have thrown by now
    assertEquals(0, blocked.eventLoopWarnings());
    blocked.close();
    assertEquals(List.of(), unhandled);
    assertEquals(1, engine.callsOf("create").size(), "no stem cell is started again once the pool is closed");
  }

  @Test
  void evictsTheIdleContainerWhenMemoryIsFull() throws Exception {
    start(NO_CELLS, Map.of("user-memory", 256));
    invoke(action("a", "echo"));
    Activation b = invoke(action("b", "echo"));
    assertEquals(0, b.response().statusCode());
    assertEquals(List.of("remove c1"), engine.callsOf("remove"));
  }

  @Test
  void removesIdleContainers() throws Exception {
    start(NO_CELLS, Map.of("idle-timeout", "200ms"));
    invoke(action("a", "echo"));
    eventually(() -> engine.callsOf("remove").contains("remove c1"));
  }

  @Test
  void timeLimitDestroysTheContainer() throws Exception {
    start(NO_CELLS, Map.of());
    Activation a = invoke(action("s", "sleep", new ActionLimits(200, 256, 10, 1)));
    assertEquals(2, a.response().statusCode());
    assertEquals("The action exceeded its time limits of 200 milliseconds.", ((JsonObject) a.response().result()).getString("error"));
    assertEquals(true, a.annotations().get("timeout"));
    eventually(() -> engine.callsOf("remove").contains("remove c1"));
    // the timeout's destroy ends the activation, whose release destroys again: one removal all the same
    assertEquals(List.of("remove c1"), engine.callsOf("remove"));
  }

  @Test
  void closeWaitsForARemovalAlreadyUnderWay() throws Exception {
    start(NO_CELLS, Map.of());
    Promise<Void> hold = Promise.promise();
    engine.holdRemovals = hold.future();
    Activation a = invoke(action("s", "sleep", new ActionLimits(200, 256, 10, 1)));
    assertEquals(2, a.response().statusCode());
    eventually(() -> engine.callsOf("remove").contains("remove c1"));
    Future<Void> closing = invoker.close();
    Thread.sleep(200);
    assertFalse(closing.isComplete(), "the invoker closed while its timed-out container was still being removed: " + engine.calls);
    assertEquals(List.of(), engine.callsOf("close"), "the engine closed under a removal");
    hold.complete();
    await(closing, WAIT);
    assertEquals(List.of("remove c1"), engine.callsOf("remove"), "removed once, not again as a leftover");
    assertFalse(engine.exists("c1"));
    assertEquals(List.of("close engine"), engine.callsOf("close"));
  }

  @Test
  void aContainerThatDiesOfItsMemoryIsReportedAndReplaced() throws Exception {
    start(NO_CELLS, Map.of());
    Activation a = invoke(action("d", "die"));
    assertEquals(2, a.response().statusCode());
    assertEquals("The action exhausted its memory and was aborted.", ((JsonObject) a.response().result()).getString("error"));
    eventually(() -> engine.callsOf("remove").contains("remove c1"));
    invoke(action("d", "die"));
    assertEquals(2, engine.callsOf("create").size(), "a new container for the next activation");
  }

  @Test
  void initFailureIsADeveloperError() throws Exception {
    start(NO_CELLS, Map.of());
    Activation a = invoke(action("i", "initfail"));
    assertEquals(2, a.response().statusCode());
    assertEquals("bad init", ((JsonObject) a.response().result()).getString("error"));
    eventually(() -> engine.callsOf("remove").contains("remove c1"));
  }

  @Test
  void anImageWithoutSentinelsStillAnswers() throws Exception {
    start(NO_CELLS, Map.of());
    Activation a = invoke(action("q", "quiet"));
    assertEquals(0, a.response().statusCode());
    assertEquals(2, a.logs().size(), a.logs().toString());
    long t0 = System.currentTimeMillis();
    Activation b = invoke(action("q", "quiet"));
    assertTrue(System.currentTimeMillis() - t0 < 250, "known to print no sentinels: only the short grace");
    assertTrue(b.logs().get(0).endsWith("stdout: run 2"), b.logs().toString());
  }

  @Test
  void leftoversOfThisInstanceAreRemovedAtStartAndAllOnClose() throws Exception {
    String mine = engine.leftover(Map.of(ContainerPool.MANAGED, "true", ContainerPool.INSTANCE, "unit"));
    String theirs = engine.leftover(Map.of(ContainerPool.MANAGED, "true", ContainerPool.INSTANCE, "other"));
    start(NO_CELLS, Map.of());
    assertFalse(engine.exists(mine));
    assertTrue(engine.exists(theirs));
    invoke(action("a", "echo"));
    await(invoker.close(), WAIT);
    assertEquals(List.of(theirs), await(engine.list(Map.of(ContainerPool.MANAGED, "true")), WAIT));
    assertFalse(invoker.isReady());
  }

  @Test
  void activationsWaitWhileMemoryIsBusy() throws Exception {
    start(NO_CELLS, Map.of("user-memory", 256));
    var slow = invoker.invoke(request(action("s", "sleep", new ActionLimits(300, 256, 10, 1)), new JsonObject()));
    Activation b = invoke(action("b", "echo"));
    assertEquals(0, b.response().statusCode());
    assertEquals(2, await(slow, WAIT).response().statusCode());
    assertTrue(((Number) b.annotations().get("waitTime")).longValue() >= 250, b.annotations().toString());
  }
}
