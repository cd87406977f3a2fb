package io.edgewhisk.controller;

import io.edgewhisk.invoker.Invoker;
import io.edgewhisk.invoker.LogMemory;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationRequest;
import io.edgewhisk.model.ActivationResponse;
import io.edgewhisk.model.KeyValues;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A test invoker that is always ready; a test says what {@code invoke} does, {@link #finished} makes its record. */
abstract class ReadyInvoker implements Invoker {
  /** The record of {@code r} finished now with {@code result}. */
  static Activation finished(ActivationRequest r, JsonObject result) {
    long now = System.currentTimeMillis();
    return Activation.record(r.user().namespace(), r.action().fqn().name(), r.user().subject(), r.activationId(), now,
        now, 0, r.cause(), ActivationResponse.success(result), List.of(), KeyValues.EMPTY, r.action().version());
  }

  @Override
  public boolean isReady() {
    return true;
  }

  @Override
  public LogMemory logMemory() {
    return new LogMemory(64L * 1024 * 1024);
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
