package io.edgewhisk.sync.invoker;

import static io.edgewhisk.sync.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.spi.InvocationService;
import io.edgewhisk.spi.Subject;
import io.edgewhisk.sync.fakes.InMemoryIdentities;
import io.edgewhisk.sync.pull.FleetFilter;
import io.edgewhisk.sync.push.ActivationRecords;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RemoteInvokerTest {
  static final String ID = ActivationRecords.id(9);

  private final InMemoryIdentities identities = new InMemoryIdentities();
  private final RecordingInvocations core = new RecordingInvocations();
  private final RemoteInvoker invoker = new RemoteInvoker(new FleetFilter(Set.of("fleet", "other"), Set.of(), false),
      identities, core, "gw-1", Completion.instance(0, "2048 MB"), Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC));

  @BeforeEach
  void subjects() {
    result(identities.put(new Subject("bob", "fleet", Messages.UUID, Messages.KEY, false, null)));
  }

  @Test
  void aServedNamespaceWithItsKeyRunsAsTheMessageSays() {
    JsonObject record = ActivationRecords.record("fleet", 9);
    core.answer = Future.succeededFuture(record);
    JsonObject c = result(invoker.answer(message(o -> o.put("cause", ActivationRecords.id(8)))));
    assertEquals(List.of(List.of("/fleet/count", "fleet", new JsonObject().put("n", 7), ID, ActivationRecords.id(8))), core.calls);
    assertEquals(false, c.getBoolean("isSystemError"));
    assertEquals(new JsonObject().put("greeting", "hi 9"), c.getJsonObject("response").getJsonObject("response").getJsonObject("result"));
  }

  @Test
  void aNamespaceNotServedHereIsRefusedWithoutRunning() {
    JsonObject c = result(invoker.answer(message(o -> o.getJsonObject("user").getJsonObject("namespace").put("name", "elsewhere"))));
    assertRefused(c, 1, "not served by the device 'gw-1'");
    assertEquals(List.of(), core.calls);
  }

  @Test
  void aWrongOrUnknownKeyIsRefusedWithoutRunning() {
    JsonObject wrong = result(invoker.answer(message(o -> o.getJsonObject("user").getJsonObject("authkey")
        .put("api_key", Messages.UUID + ":" + "x".repeat(64)))));
    assertRefused(wrong, 1, "authentication is not valid");
    // served, but no subject of it here (not pulled yet, or deleted centrally)
    JsonObject unknown = result(invoker.answer(message(o -> o.getJsonObject("user").getJsonObject("namespace").put("name", "other"))));
    assertRefused(unknown, 1, "authentication is not valid");
    result(identities.put(new Subject("bob", "fleet", Messages.UUID, Messages.KEY, true, null)));
    assertRefused(result(invoker.answer(message(o -> { }))), 1, "authentication is not valid");
    assertEquals(List.of(), core.calls);
  }

  @Test
  void theCoresRefusalsAreApplicationErrorsItsFailuresSystemErrors() {
    core.answer = Future.failedFuture(new ServiceException(404, "The requested resource 'fleet/count' does not exist."));
    assertRefused(result(invoker.answer(message(o -> { }))), 1, "does not exist");
    core.answer = Future.failedFuture(new ServiceException(429, "Too many requests in the last minute (count: 9, allowed: 9)."));
    assertRefused(result(invoker.answer(message(o -> { }))), 1, "Too many requests");
    core.answer = Future.failedFuture(new ServiceException(503, "Actions cannot run now"));
    JsonObject c = result(invoker.answer(message(o -> { })));
    assertEquals(true, c.getBoolean("isSystemError"));
    assertEquals(3, c.getJsonObject("response").getJsonObject("response").getInteger("statusCode"));
    core.answer = Future.failedFuture(new IllegalStateException("No handlers for address edgewhisk.invocations"));
    assertEquals(true, result(invoker.answer(message(o -> { }))).getBoolean("isSystemError"));
  }

  @Test
  void anIdInUseIsAnsweredWithItsStoredRecordOrRefused() {
    core.answer = Future.failedFuture(new ServiceException(409, "The activation id " + ID + " is in use"));
    assertRefused(result(invoker.answer(message(o -> { }))), 1, "is in use");
    JsonObject stored = ActivationRecords.record("fleet", 9);
    core.stored.put("fleet/" + ID, stored);
    JsonObject c = result(invoker.answer(message(o -> { })));
    assertEquals(false, c.getBoolean("isSystemError"));
    assertEquals(stored.getLong("start"), c.getJsonObject("response").getLong("start"), "the first run's record");
  }

  private static void assertRefused(JsonObject completion, int statusCode, String error) {
    JsonObject a = completion.getJsonObject("response");
    assertEquals(statusCode, a.getJsonObject("response").getInteger("statusCode"), a::encode);
    String message = a.getJsonObject("response").getJsonObject("result").getString("error");
    assertTrue(message.contains(error), message);
    assertEquals(ID, a.getString("activationId"));
    assertEquals(statusCode == 3, completion.getBoolean("isSystemError"));
  }

  private static InvokerMessage message(java.util.function.Consumer<JsonObject> change) {
    JsonObject o = Messages.activation(ID);
    change.accept(o);
    return InvokerMessage.parse(Messages.bytes(o));
  }

  /** The core's invocation service, answering what the test set and recording what it was asked. */
  static final class RecordingInvocations implements InvocationService {
    final List<List<Object>> calls = new ArrayList<>();
    final Map<String, JsonObject> stored = new HashMap<>();
    Future<JsonObject> answer = Future.failedFuture(new ServiceException(500, "not set"));

    @Override
    public Future<JsonObject> invoke(String action, String namespace, JsonObject parameters, String activationId, String cause) {
      List<Object> call = new ArrayList<>(List.of(action, namespace, parameters, activationId));
      call.add(cause);
      calls.add(call);
      return answer;
    }

    @Override
    public Future<JsonObject> record(String namespace, String activationId) {
      return Future.succeededFuture(stored.get(namespace + "/" + activationId));
    }
  }
}
