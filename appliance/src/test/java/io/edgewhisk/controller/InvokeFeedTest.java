package io.edgewhisk.controller;

import static io.edgewhisk.controller.PipelineFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.fakes.InMemorySubjectStore;
import io.edgewhisk.invoker.Invoker;
import io.edgewhisk.log.Topic;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.ActivationMessage;
import io.edgewhisk.model.ActivationRequest;
import io.edgewhisk.model.ActivationResponse;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.NamespaceLimits;
import io.edgewhisk.model.SemVer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The invoke topic's consumer over fakes: each accepted invocation is run once and recorded, and committed after. */
class InvokeFeedTest {
  @TempDir Path dir;
  private PipelineFixture f;
  private final AtomicInteger runs = new AtomicInteger();
  private InMemorySubjectStore subjects;

  private final Invoker invoker = new ReadyInvoker() {
    @Override
    public Future<Activation> invoke(ActivationRequest r) {
      runs.incrementAndGet();
      return Future.succeededFuture(finished(r, r.arguments()));
    }
  };

  @BeforeEach
  void open() {
    f = new PipelineFixture(dir);
    subjects = new InMemorySubjectStore(new NamespaceLimits(1000, 1000, 1000, null, true));
    await(subjects.put("guest", "guest", "guest-uuid", "k"));
  }

  @AfterEach
  void close() {
    f.close();
  }

  private InvokeFeed feed() {
    ActionRunner runner = new ActionRunner(invoker, n -> null, f.controllers.resolver(), f.recorder, f.clock, 50);
    return new InvokeFeed(f.log, subjects, f.entities, f.activations, runner, f.recorder, 16, InvokeFeed.replaysIn(f.vertx, dir), 3);
  }

  private ActivationId append(FullyQualifiedName action) {
    ActivationId id = ActivationId.random();
    ActivationMessage m = new ActivationMessage("tx", System.currentTimeMillis(), action, SemVer.INITIAL, "guest", "guest",
        id, false, new JsonObject().put("n", 1), null);
    await(f.log.append(Topic.INVOKE, m.toBuffer(), true));
    return id;
  }

  private static boolean within(long ms, java.util.function.BooleanSupplier c) throws InterruptedException {
    long end = System.currentTimeMillis() + ms;
    while (System.currentTimeMillis() < end) {
      if (c.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return c.getAsBoolean();
  }

  @Test
  void eachInvocationIsRunAndRecordedThenCommitted() throws Exception {
    f.action("guest", "hello");
    ActivationId a = append(FullyQualifiedName.of("guest", "hello"));
    ActivationId gone = append(FullyQualifiedName.of("guest", "deleted"));
    String deployment = await(f.vertx.deployVerticle(feed()));
    assertTrue(within(5000, () -> await(f.activations.get("guest", a)) != null && await(f.activations.get("guest", gone)) != null));
    assertEquals(new JsonObject().put("n", 1), await(f.activations.get("guest", a)).response().result());
    Activation missing = await(f.activations.get("guest", gone));
    assertEquals(ActivationResponse.WHISK_ERROR, missing.response().statusCode());
    assertTrue(missing.response().result().toString().contains("could not be found"));
    assertTrue(within(10_000, () -> await(f.log.committed(Topic.INVOKE, InvokeFeed.CONSUMER)) == 2L),
        "the finished prefix is committed");
    assertEquals(1, runs.get());
    await(f.vertx.undeploy(deployment));
  }

  @Test
  void aReplayedInvocationAlreadyRecordedIsNotRunAgain() throws Exception {
    f.action("guest", "hello");
    ActivationId a = append(FullyQualifiedName.of("guest", "hello"));
    // as after a crash between storing the record and committing the offset
    await(f.activations.store(Activation.record("guest", "hello", "guest", a, 1, 1, 0, null,
        ActivationResponse.success(new JsonObject()), List.of(), KeyValues.EMPTY, SemVer.INITIAL)));
    String deployment = await(f.vertx.deployVerticle(feed()));
    assertTrue(within(10_000, () -> await(f.log.committed(Topic.INVOKE, InvokeFeed.CONSUMER)) == 1L));
    assertEquals(0, runs.get(), "recorded before: not run again");
    assertNotNull(await(f.activations.get("guest", a)));
    await(f.vertx.undeploy(deployment));
  }

  /** An invoker that holds every activation until the test lets it finish, and counts how many run at once. */
  private final class HeldInvoker extends ReadyInvoker {
    final java.util.concurrent.ConcurrentLinkedQueue<Runnable> held = new java.util.concurrent.ConcurrentLinkedQueue<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();

    @Override
    public Future<Activation> invoke(ActivationRequest r) {
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      io.vertx.core.Context context = f.vertx.getOrCreateContext();
      io.vertx.core.Promise<Activation> done = io.vertx.core.Promise.promise();
      held.add(() -> context.runOnContext(v -> {
        running.decrementAndGet();
        done.complete(finished(r, r.arguments()));
      }));
      // counted once held: a test that saw the count go up can finish this run (the oldest first)
      runs.incrementAndGet();
      return done.future();
    }

    /** Lets the oldest held activation finish. */
    boolean finishOne() {
      Runnable r = held.poll();
      if (r != null) {
        r.run();
      }
      return r != null;
    }
  }

  @Test
  void duringABurstOfAcceptsTheBacklogRunsItsBurstShareThenAllOfItRunsOnce() throws Exception {
    f.action("guest", "hello");
    java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
    AcceptBurst burst = new AcceptBurst(1000, 2, 15_000, AcceptBurst.WINDOW_NANOS, nanos::get);
    for (int i = 0; i < 100; i++) {
      burst.accepted();
    }
    assertTrue(burst.on());
    List<ActivationId> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ids.add(append(FullyQualifiedName.of("guest", "hello")));
    }
    HeldInvoker held = new HeldInvoker();
    ActionRunner runner = new ActionRunner(held, n -> null, f.controllers.resolver(), f.recorder, f.clock, 50);
    InvokeFeed feed = new InvokeFeed(f.log, subjects, f.entities, f.activations, runner, f.recorder, 16,
        InvokeFeed.replaysIn(f.vertx, dir), 3, burst, new EarlyStarts());
    String deployment = await(f.vertx.deployVerticle(feed));
    assertTrue(within(5000, () -> held.running.get() == 2));
    for (int i = 0; i < 6; i++) {
      assertTrue(held.finishOne());
      int finished = i + 1;
      assertTrue(within(5000, () -> runs.get() == 2 + finished && held.running.get() == 2),
          "one more starts as each finishes");
    }
    Thread.sleep(200);
    assertEquals(8, runs.get(), "the burst's share: no more than 2 at a time");
    assertEquals(2, held.mostAtOnce.get());

    nanos.addAndGet(AcceptBurst.QUIET_NANOS); // the burst is over
    assertTrue(held.finishOne());
    assertTrue(within(5000, () -> held.running.get() == 16), "the backlog runs at the feed's full width");
    long deadline = System.currentTimeMillis() + 10_000;
    while ((runs.get() < 40 || !held.held.isEmpty()) && System.currentTimeMillis() < deadline) {
      if (!held.finishOne()) {
        Thread.sleep(5);
      }
    }
    assertTrue(within(5000, () -> ids.stream().allMatch(id -> await(f.activations.get("guest", id)) != null)));
    assertEquals(40, runs.get(), "each accepted activation ran exactly once");
    assertEquals(16, held.mostAtOnce.get());
    assertTrue(within(10_000, () -> await(f.log.committed(Topic.INVOKE, InvokeFeed.CONSUMER)) == 40L));
    await(f.vertx.undeploy(deployment));
  }

  /** A log whose appends to the invoke topic wait until the test releases them, as a slow writer thread would. */
  private static final class HeldAppends implements io.edgewhisk.log.AppendLog {
    private final io.edgewhisk.log.AppendLog log;
    final java.util.concurrent.ConcurrentLinkedQueue<Runnable> held = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Appends to the invoke topic fail once released, as on a full disk. */
    volatile boolean failing;

    HeldAppends(io.edgewhisk.log.AppendLog log) {
      this.log = log;
    }

    @Override
    public Future<Long> append(Topic topic, io.vertx.core.buffer.Buffer value, boolean durable) {
      if (topic != Topic.INVOKE) {
        return log.append(topic, value, durable);
      }
      io.vertx.core.Promise<Long> appended = io.vertx.core.Promise.promise();
      if (failing) {
        held.add(() -> appended.fail(new java.io.IOException("No space left on device")));
      } else {
        held.add(() -> log.append(topic, value, durable).onComplete(appended));
      }
      return appended.future();
    }

    @Override
    public Future<List<io.edgewhisk.log.LogRecord>> read(Topic topic, long fromOffset, int maxRecords, int maxBytes) {
      return log.read(topic, fromOffset, maxRecords, maxBytes);
    }

    @Override
    public long endOffset(Topic topic) {
      return log.endOffset(topic);
    }

    @Override
    public Future<Long> register(Topic topic, String consumer) {
      return log.register(topic, consumer);
    }

    @Override
    public Future<Long> committed(Topic topic, String consumer) {
      return log.committed(topic, consumer);
    }

    @Override
    public Future<Void> commit(Topic topic, String consumer, long nextOffset) {
      return log.commit(topic, consumer, nextOffset);
    }

    @Override
    public Future<Void> unregister(Topic topic, String consumer) {
      return log.unregister(topic, consumer);
    }

    @Override
    public Future<io.edgewhisk.log.Subscription> subscribe(Topic topic, String consumer, int maxRecords,
        java.util.function.Function<List<io.edgewhisk.log.LogRecord>, Future<?>> handler) {
      return log.subscribe(topic, consumer, maxRecords, handler);
    }

    @Override
    public Future<io.edgewhisk.log.Subscription> follow(Topic topic, long fromOffset, int maxRecords,
        java.util.function.Function<List<io.edgewhisk.log.LogRecord>, Future<?>> handler) {
      return log.follow(topic, fromOffset, maxRecords, handler);
    }

    @Override
    public Future<Void> enforceRetention() {
      return log.enforceRetention();
    }

    @Override
    public Future<Void> sync(Topic topic) {
      return log.sync(topic);
    }

    @Override
    public io.edgewhisk.log.LogHealth health() {
      return log.health();
    }

    @Override
    public Future<Void> close() {
      return log.close();
    }
  }

  /**
   * An invoke feed of {@code maxRunning} and the API's invocations over a log whose invoke appends wait for the test,
   * an invoker that holds every activation, and the early starts they share.
   */
  private final class HeldPipeline {
    final HeldAppends log = new HeldAppends(f.log);
    final HeldInvoker held = new HeldInvoker();
    final EarlyStarts early = new EarlyStarts();
    final InvokeFeed feed;
    final Invocations invocations;

    HeldPipeline(int maxRunning) {
      ActionRunner runner = new ActionRunner(held, n -> null, f.controllers.resolver(), f.recorder, f.clock, 50);
      feed = new InvokeFeed(log, subjects, f.entities, f.activations, runner, f.recorder, maxRunning,
          InvokeFeed.replaysIn(f.vertx, dir), 3, AcceptBurst.NONE, early);
      invocations = new Invocations(f.vertx, f.entities, f.controllers.resolver(), new Throttles(f.clock), log,
          f.completions, f.recorder, 1024, () -> true, f.clock, AcceptBurst.NONE, early);
    }
  }

  @Test
  void aBlockingInvocationStartsBeforeItsRecordIsAppendedAndTheFeedDoesNotRunItAgain() throws Exception {
    f.action("guest", "hello");
    HeldPipeline p = new HeldPipeline(16);
    HeldAppends log = p.log;
    HeldInvoker held = p.held;
    EarlyStarts early = p.early;
    InvokeFeed feed = p.feed;
    Invocations invocations = p.invocations;
    FullyQualifiedName hello = FullyQualifiedName.of("guest", "hello");
    Future<InvocationOutcome> beforeTheFeed = invocations.invoke(PipelineFixture.identity("guest"), hello,
        new JsonObject().put("n", 0), true, 10_000);
    assertTrue(within(1000, () -> log.held.size() == 1));
    assertEquals(0, runs.get(), "no feed runs yet: the invocation waits for it");
    log.held.poll().run();

    String deployment = await(f.vertx.deployVerticle(feed));
    assertTrue(within(5000, () -> runs.get() == 1), "the feed runs the one appended before it started");
    Future<InvocationOutcome> outcome = invocations.invoke(PipelineFixture.identity("guest"), hello,
        new JsonObject().put("n", 2), true, 10_000);
    assertTrue(within(5000, () -> runs.get() == 2 && log.held.size() == 1),
        "started while its record waits for the log");
    assertEquals(1, early.unclaimed());
    log.held.poll().run();
    assertTrue(within(5000, () -> early.unclaimed() == 0), "the feed read the record and took the run over");
    Thread.sleep(100);
    assertEquals(2, runs.get(), "not run again");
    assertTrue(held.finishOne());
    within(10_000, () -> await(f.log.committed(Topic.INVOKE, InvokeFeed.CONSUMER)) == 1L);
    assertEquals(1L, await(f.log.committed(Topic.INVOKE, InvokeFeed.CONSUMER)), "committed past the first run");
    Thread.sleep(600); // past a commit interval: the record started early is still running
    assertEquals(1L, await(f.log.committed(Topic.INVOKE, InvokeFeed.CONSUMER)));
    assertTrue(held.finishOne());
    assertEquals(new JsonObject().put("n", 2),
        ((InvocationOutcome.Completed) await(outcome)).activation().response().result());
    assertTrue(await(beforeTheFeed) instanceof InvocationOutcome.Completed);
    assertTrue(within(10_000, () -> await(f.log.committed(Topic.INVOKE, InvokeFeed.CONSUMER)) == 2L),
        "committed once the early run finished and was recorded");
    assertEquals(2, runs.get());

    await(f.vertx.undeploy(deployment));
    invocations.invoke(PipelineFixture.identity("guest"), hello, null, true, 10);
    assertTrue(within(1000, () -> log.held.size() == 1));
    Thread.sleep(100);
    assertEquals(2, runs.get(), "after the feed stopped, nothing starts early");
  }

  /** A trigger {@code guest/sensor} with an active rule to {@code guest/hello}, and a held pipeline of two places. */
  private HeldPipeline sensorRule() {
    var hello = f.action("guest", "hello");
    f.trigger("guest", "sensor", hello.fqn(), true);
    return new HeldPipeline(2);
  }

  @Test
  void aRulesInvocationStartsBeforeItsRecordIsAppendedOnlyWhileTheFeedHasRoom() throws Exception {
    HeldPipeline p = sensorRule();
    String deployment = await(f.vertx.deployVerticle(p.feed));
    FullyQualifiedName sensor = FullyQualifiedName.of("guest", "sensor");

    // the feed runs nothing: the first fire's rule invocation starts while its record waits for the log
    Future<ActivationId> first = p.invocations.fire(PipelineFixture.identity("guest"), sensor,
        new JsonObject().put("n", 1));
    assertTrue(within(5000, () -> runs.get() == 1 && p.log.held.size() == 1),
        "started beside the append of its record");
    assertTrue(!first.isComplete(), "the fire is accepted only once its rule's invocation is on the topic");
    p.log.held.poll().run();
    assertNotNull(await(first));
    assertTrue(within(5000, () -> p.early.unclaimed() == 0), "the feed read the record and took the run over");

    // one of the feed's two places left: the second starts early too
    p.invocations.fire(PipelineFixture.identity("guest"), sensor, new JsonObject().put("n", 2));
    assertTrue(within(5000, () -> runs.get() == 2 && p.log.held.size() == 1));
    p.log.held.poll().run();
    assertTrue(within(5000, () -> p.early.unclaimed() == 0));

    // the feed's window is full: the third waits for its record and for room, in the feed's order
    p.invocations.fire(PipelineFixture.identity("guest"), sensor, new JsonObject().put("n", 3));
    assertTrue(within(5000, () -> p.log.held.size() == 1));
    p.log.held.poll().run();
    Thread.sleep(200);
    assertEquals(2, runs.get(), "not started early, nor by the feed while two run");
    assertTrue(p.held.finishOne());
    assertTrue(within(5000, () -> runs.get() == 3), "the feed runs it once there is room");
    assertTrue(p.held.finishOne());
    assertTrue(p.held.finishOne());
    assertTrue(within(10_000, () -> await(f.log.committed(Topic.INVOKE, InvokeFeed.CONSUMER)) == 3L),
        "all three committed once finished and recorded");
    Thread.sleep(100);
    assertEquals(3, runs.get(), "each ran once");
    await(f.vertx.undeploy(deployment));
  }

  @Test
  void aRulesInvocationStartedEarlyWhoseRecordCannotBeAppendedIsRefusedToItsFireButStillRecorded() throws Exception {
    HeldPipeline p = sensorRule();
    p.log.failing = true;
    String deployment = await(f.vertx.deployVerticle(p.feed));

    Future<ActivationId> fire = p.invocations.fire(PipelineFixture.identity("guest"),
        FullyQualifiedName.of("guest", "sensor"), new JsonObject().put("n", 1));
    assertTrue(within(5000, () -> runs.get() == 1 && p.log.held.size() == 1));
    p.log.held.poll().run();
    ActivationId trigger = await(fire);
    assertTrue(within(5000, () -> await(f.activations.get("guest", trigger)) != null));
    String line = await(f.activations.get("guest", trigger)).logs().get(0);
    assertTrue(line.contains("\"success\":false") && line.contains("could not be queued"), line);
    assertEquals(0, p.early.unclaimed(), "no record will come for the feed to claim");
    assertEquals(0, p.invocations.inFlight(), "its throttle slot is free again");

    assertTrue(p.held.finishOne());
    var query = new io.edgewhisk.store.ActivationStore.ActivationQuery("guest", "hello", null, null, 0, 0);
    assertTrue(within(5000, () -> await(f.activations.count(query)) == 1L), "the run that went on has its record");
    Thread.sleep(100);
    assertEquals(1, runs.get());
    await(f.vertx.undeploy(deployment));
  }
}
