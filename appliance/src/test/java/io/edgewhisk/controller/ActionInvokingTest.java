package io.edgewhisk.controller;

import static io.edgewhisk.controller.PipelineFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.fakes.InMemorySubjectStore;
import io.edgewhisk.log.Topic;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.ActivationMessage;
import io.edgewhisk.model.ActivationResponse;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.NamespaceLimits;
import io.edgewhisk.model.SemVer;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.plugin.ActionInvoking;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core's invocation service for plugins (remote invocation) over the controller's fakes: the caller's id and
 * cause reach the invoke topic, the answer is the stored record, an id in use is refused and never overwritten.
 */
class ActionInvokingTest {
  static final String ID = "0123456789abcdef0123456789abcdef";
  static final String CAUSE = "fedcba9876543210fedcba9876543210";

  @TempDir Path dir;
  private PipelineFixture f;
  private final InMemorySubjectStore subjects = new InMemorySubjectStore(new NamespaceLimits(1000, 1000, 1000, null, true));
  private ActionInvoking service;

  @BeforeEach
  void open() {
    f = new PipelineFixture(dir);
    await(subjects.put("bob", "fleet", "fleet-uuid", "k"));
    f.action("fleet", "count");
    service = new ActionInvoking(f.vertx, f.invocations, subjects, f.activations, f.completions, 10_000);
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void runsUnderTheCallersIdAndAnswersWithTheStoredRecord() {
    Future<JsonObject> answer = service.invoke("/fleet/count", "fleet", new JsonObject().put("n", 7), ID, CAUSE);
    ActivationMessage m = awaitMessage();
    assertEquals(new ActivationId(ID), m.activationId());
    assertEquals(new ActivationId(CAUSE), m.cause());
    assertEquals("fleet", m.namespace());
    assertEquals("bob", m.subject());
    assertEquals(7, m.content().getInteger("n"));
    assertFalse(answer.isComplete(), "not before the record is stored");

    Activation done = record(ID, "fleet");
    f.recorder.announce(done);
    assertFalse(answer.isComplete(), "the blocking caller's early answer is not the stored record");
    await(f.recorder.recordReplayable(done, identity()));
    JsonObject record = await(answer);
    assertEquals(ID, record.getString("activationId"));
    assertEquals(new JsonObject().put("n", 7), record.getJsonObject("response").getJsonObject("result"));
    assertEquals(record, await(service.record("fleet", ID)));
    assertNull(await(service.record("other", ID)), "a record of another namespace is not found");
  }

  @Test
  void anIdInUseIsRefusedAndTheRecordNeverOverwritten() {
    Future<JsonObject> first = service.invoke("/fleet/count", "fleet", new JsonObject(), ID, null);
    awaitMessage();
    assertEquals(409, status(service.invoke("/fleet/count", "fleet", new JsonObject(), ID, null)), "while it runs");
    await(f.recorder.recordReplayable(record(ID, "fleet"), identity()));
    await(first);
    WhiskException stored = assertThrows(WhiskException.class,
        () -> await(service.invoke("/fleet/count", "fleet", new JsonObject(), ID, null)));
    assertEquals(409, stored.status());
    assertTrue(stored.getMessage().contains("is in use"), stored.getMessage());
    assertEquals(1, f.log.endOffset(Topic.INVOKE), "only the first reached the invoke topic");
  }

  @Test
  void refusalsFailWithOpenWhisksStatusAndLeaveTheIdFree() {
    assertEquals(400, status(service.invoke("/fleet/count", "fleet", null, "not-an-id", null)));
    assertEquals(400, status(service.invoke("/fleet/count", "fleet", null, null, null)));
    assertEquals(400, status(service.invoke("/fleet/count", "fleet", null, ID, "bad cause")));
    assertEquals(403, status(service.invoke("/fleet/count", "nobody", null, ID, null)));
    subjects.block("fleet", true);
    assertEquals(403, status(service.invoke("/fleet/count", "fleet", null, ID, null)));
    subjects.block("fleet", false);
    assertEquals(404, status(service.invoke("/fleet/none", "fleet", null, ID, null)));
    assertEquals(404, status(service.invoke("/fleet/none", "fleet", null, ID, null)), "a refusal leaves the id free");
    assertEquals(0, f.log.endOffset(Topic.INVOKE), "nothing refused reached the log");
  }

  @Test
  void aRecordThatNeverComesEndsTheWait() {
    ActionInvoking quick = new ActionInvoking(f.vertx, f.invocations, subjects, f.activations, f.completions, 300);
    WhiskException e = assertThrows(WhiskException.class,
        () -> await(quick.invoke("/fleet/count", "fleet", new JsonObject(), ID, null)));
    assertEquals(503, e.status());
    assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
  }

  private ActivationMessage awaitMessage() {
    for (int i = 0; i < 100 && f.log.endOffset(Topic.INVOKE) == 0; i++) {
      sleep();
    }
    var records = await(f.log.read(Topic.INVOKE, 0, 10, 1 << 20));
    assertEquals(1, records.size());
    return ActivationMessage.fromJson(records.get(0).value().toJsonObject());
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private Identity identity() {
    return subjects.identityOf("fleet");
  }

  private static Activation record(String id, String namespace) {
    long now = System.currentTimeMillis();
    return Activation.record(namespace, "count", "bob", new ActivationId(id), now, now + 5, 5, null,
        ActivationResponse.success(new JsonObject().put("n", 7)), List.of(), KeyValues.EMPTY, SemVer.INITIAL);
  }

  private static int status(Future<?> future) {
    return assertThrows(WhiskException.class, () -> await(future)).status();
  }
}
