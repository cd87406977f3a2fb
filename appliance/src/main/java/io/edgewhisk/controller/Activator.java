package io.edgewhisk.controller;

import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Activation as the API asks for it: invoke an action (blocking or not) and fire a trigger, with
 * entitlement, throttles, parameter precedence and {@code final} parameters as OpenWhisk has them.
 */
public interface Activator {

  /**
   * Invokes the action the caller named (possibly through a binding) with the payload. Non-blocking
   * answers {@link InvocationOutcome.Accepted} once the request is durable; blocking waits up to
   * {@code waitMillis} for the record and answers {@link InvocationOutcome.Completed}, or Accepted when
   * the wait runs out. Fails with 403/404/429/400/413/503 as OpenWhisk does.
   */
  Future<InvocationOutcome> invoke(Identity who, FullyQualifiedName action, JsonObject payload, boolean blocking,
      long waitMillis);

  /**
   * Fires a trigger: every active rule's action is invoked non-blocking with the trigger's parameters
   * under the payload, and a trigger activation is recorded. Answers its activation id, or null when no
   * rule is active (OpenWhisk's 204).
   */
  Future<ActivationId> fire(Identity who, FullyQualifiedName trigger, JsonObject payload);
}
