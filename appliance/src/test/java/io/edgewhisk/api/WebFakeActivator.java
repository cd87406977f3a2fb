package io.edgewhisk.api;

import io.edgewhisk.controller.Activator;
import io.edgewhisk.controller.InvocationOutcome;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.ActivationResponse;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.SemVer;
import io.edgewhisk.model.WhiskException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An {@link Activator} for the API tests: records every invocation and answers what the test scripted
 * (by default a 503, as an appliance without an invoker would).
 */
public final class WebFakeActivator implements Activator {
  /** One call to {@link #invoke}. */
  public record Invocation(Identity who, FullyQualifiedName action, JsonObject payload, boolean blocking, long waitMillis) {}

  private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
  private volatile Function<Invocation, Future<InvocationOutcome>> script =
      i -> Future.failedFuture(WhiskException.unavailable("There is no invoker in this test."));

  /** From now on, every invocation is answered by {@code script}. */
  public void answer(Function<Invocation, Future<InvocationOutcome>> script) {
    this.script = script;
  }

  /** From now on, every invocation completes with this response. */
  public void complete(ActivationResponse response) {
    answer(i -> Future.succeededFuture(new InvocationOutcome.Completed(activation(i, response))));
  }

  /** From now on, every invocation succeeds with this result. */
  public void succeed(Object result) {
    complete(ActivationResponse.success(result));
  }

  public List<Invocation> invocations() {
    return List.copyOf(invocations);
  }

  /** The only invocation since the last {@link #clear()}. */
  public Invocation single() {
    if (invocations.size() != 1) {
      throw new AssertionError("expected one invocation, got " + invocations);
    }
    return invocations.get(0);
  }

  public void clear() {
    invocations.clear();
  }

  @Override
  public Future<InvocationOutcome> invoke(Identity who, FullyQualifiedName action, JsonObject payload, boolean blocking,
      long waitMillis) {
    Invocation i = new Invocation(who, action, payload.copy(), blocking, waitMillis);
    invocations.add(i);
    return script.apply(i);
  }

  @Override
  public Future<ActivationId> fire(Identity who, FullyQualifiedName trigger, JsonObject payload) {
    return Future.failedFuture(WhiskException.unavailable("There is no invoker in this test."));
  }

  private static Activation activation(Invocation i, ActivationResponse response) {
    long now = System.currentTimeMillis();
    return new Activation(i.who().namespace(), i.action().name(), i.who().subject(), ActivationId.random(), now, now + 1, 1,
        null, response, List.of(), KeyValues.EMPTY, SemVer.INITIAL, false);
  }
}
