package io.edgewhisk.controller;

import static io.edgewhisk.controller.PipelineFixture.await;
import static io.edgewhisk.controller.PipelineFixture.identity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.log.Topic;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.ActivationMessage;
import io.edgewhisk.model.ActivationResponse;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.SemVer;
import io.edgewhisk.model.WhiskException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The controller's side of activation over fakes: what reaches the invoke topic, what is refused and how. */
class InvocationsTest {
  @TempDir Path dir;
  private PipelineFixture f;

  @BeforeEach
  void open() {
    f = new PipelineFixture(dir);
  }

  @AfterEach
  void close() {
    f.close();
  }

  private static int statusOf(Future<?> future) {
    WhiskException e = assertThrows(WhiskException.class, () -> await(future));
    return e.status();
  }

  @Test
  void aNonBlockingInvocationIsOnTheInvokeTopicWhenItIsAccepted() {
    f.action("guest", "hello");
    InvocationOutcome outcome = await(f.invocations.invoke(identity("guest"), FullyQualifiedName.of("guest", "hello"),
        new JsonObject().put("a", 1), false, 0));
    ActivationId id = assertInstanceOf(InvocationOutcome.Accepted.class, outcome).activationId();
    var records = await(f.log.read(Topic.INVOKE, 0, 10, 1 << 20));
    assertEquals(1, records.size());
    ActivationMessage message = ActivationMessage.fromJson(records.get(0).value().toJsonObject());
    assertEquals(id, message.activationId());
    assertEquals(1, message.content().getInteger("a"));
    assertEquals(1, f.invocations.inFlight());
  }

  @Test
  void eachAdmittedIdFreesItsOwnSlotOnceAndAnIdInUseIsRefused() {
    f.action("guest", "hello");
    FullyQualifiedName hello = FullyQualifiedName.of("guest", "hello");
    // ids that differ only in their first or only in their last hex digit are different activations
    ActivationId base = new ActivationId("0123456789abcdef0123456789abcdef");
    ActivationId first = new ActivationId("f123456789abcdef0123456789abcdef");
    ActivationId last = new ActivationId("0123456789abcdef0123456789abcdee");
    for (ActivationId id : List.of(base, first, last)) {
      assertEquals(id, await(f.invocations.invokeWithId(identity("guest"), hello, null, id, null)));
    }
    assertEquals(3, f.invocations.inFlight());
    assertEquals(409, statusOf(f.invocations.invokeWithId(identity("guest"), hello, null, last, null)));
    assertEquals(3, f.invocations.inFlight(), "a refused id takes no slot and frees none");

    f.completions.complete(finished(last));
    assertEquals(2, f.invocations.inFlight());
    f.completions.complete(finished(last)); // a second record of the same id frees nothing more
    assertEquals(2, f.invocations.inFlight());
    f.completions.complete(finished(base));
    f.completions.complete(finished(first));
    assertEquals(0, f.invocations.inFlight());
    // a finished id may be given again
    assertEquals(last, await(f.invocations.invokeWithId(identity("guest"), hello, null, last, null)));
  }

  private static Activation finished(ActivationId id) {
    long now = System.currentTimeMillis();
    return Activation.record("guest", "hello", "guest", id, now, now, 0, null,
        ActivationResponse.success(new JsonObject()), List.of(), KeyValues.EMPTY, SemVer.INITIAL);
  }

  @Test
  void refusalsFailTheFutureAndNeverThrow() {
    f.action("guest", "hello");
    FullyQualifiedName hello = FullyQualifiedName.of("guest", "hello");
    // another namespace's private action, a trigger of another namespace, a payload too large, no engine
    assertEquals(403, statusOf(f.invocations.invoke(identity("intruder"), hello, null, false, 0)));
    assertEquals(403, statusOf(f.invocations.fire(identity("intruder"), FullyQualifiedName.of("guest", "t"), null)));
    assertEquals(413, statusOf(f.invocations.invoke(identity("guest"), hello,
        new JsonObject().put("big", "x".repeat(2048)), false, 0)));
    assertEquals(404, statusOf(f.invocations.invoke(identity("guest"), FullyQualifiedName.of("guest", "none"), null,
        false, 0)));
    f.engineUp.set(false);
    assertEquals(503, statusOf(f.invocations.invoke(identity("guest"), hello, null, false, 0)));
    assertEquals(0, f.log.endOffset(Topic.INVOKE), "nothing refused reached the log");
  }

  @Test
  void aFireInvokesEachActiveRuleAndRecordsTheTriggerActivation() {
    var action = f.action("guest", "hello");
    f.trigger("guest", "sensor", action.fqn(), true);
    ActivationId id = await(f.invocations.fire(identity("guest"), FullyQualifiedName.of("guest", "sensor"),
        new JsonObject().put("v", 2)));
    assertNotNull(id);
    assertEquals(1, f.log.endOffset(Topic.INVOKE), "one invocation for the one active rule");
    var trigger = await(f.activations.get("guest", id));
    assertEquals("sensor", trigger.name());
    assertTrue(trigger.logs().get(0).contains("\"success\":true"), trigger.logs().toString());
  }

  @Test
  void aPublishedTriggersActivationIsNotPublished() {
    var action = f.action("guest", "hello");
    var t = f.trigger("guest", "shared", action.fqn(), true);
    await(f.entities.apply(java.util.List.of(new io.edgewhisk.store.EntityChange.Update(new io.edgewhisk.model.Trigger(
        t.fqn(), t.version().bumpPatch(), true, t.parameters(), t.annotations(), t.rules(), t.updated()), t.version()))));
    ActivationId id = await(f.invocations.fire(identity("guest"), t.fqn(), null));
    assertEquals(false, await(f.activations.get("guest", id)).publish(), "OpenWhisk never publishes an activation");
  }

  @Test
  void aFireWithNoActiveRuleInvokesNothing() {
    var action = f.action("guest", "hello");
    f.trigger("guest", "idle", action.fqn(), false);
    assertNull(await(f.invocations.fire(identity("guest"), FullyQualifiedName.of("guest", "idle"), null)));
    assertEquals(0, f.log.endOffset(Topic.INVOKE));
  }

  @Test
  void onlyAcceptedNonBlockingInvocationsCountTowardsABurst() {
    f.action("guest", "hello");
    FullyQualifiedName hello = FullyQualifiedName.of("guest", "hello");
    java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
    AcceptBurst burst = new AcceptBurst(10, 1, 15_000, AcceptBurst.WINDOW_NANOS, nanos::get); // 1 accept per window
    Invocations invocations = new Invocations(f.vertx, f.entities, f.controllers.resolver(), new Throttles(f.clock), f.log,
        f.completions, f.recorder, 1024, f.engineUp::get, f.clock, burst, new EarlyStarts());
    assertEquals(413, statusOf(invocations.invoke(identity("guest"), hello, new JsonObject().put("big", "x".repeat(2048)),
        false, 0)));
    assertEquals(404, statusOf(invocations.invoke(identity("guest"), FullyQualifiedName.of("guest", "none"), null, false, 0)));
    invocations.invoke(identity("guest"), hello, null, true, 10); // blocking: nobody runs it, it answers 202 after 10 ms
    assertTrue(!burst.on(), "neither a refusal nor a blocking invocation is an accept");
    await(invocations.invoke(identity("guest"), hello, null, false, 0));
    assertTrue(burst.on(), "a non-blocking invocation accepted durably is");
  }
}
