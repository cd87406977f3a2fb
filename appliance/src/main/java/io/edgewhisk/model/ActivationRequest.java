package io.edgewhisk.model;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * What the controller asks the invoker to run: one activation of a resolved (non-sequence) action.
 * {@code arguments} are the merged parameters (package &lt; binding &lt; action &lt; payload); parameters
 * of the action marked {@code init} go to {@code /init}'s environment instead. {@code cause} is the
 * enclosing sequence's activation id, or null. {@code receivedAt} (epoch ms) is when the controller took
 * the request, so that the invoker can report {@code waitTime}.
 */
public record ActivationRequest(
    ActivationId activationId,
    String transactionId,
    Identity user,
    Action action,
    JsonObject arguments,
    ActivationId cause,
    long receivedAt) {

  public ActivationRequest {
    Objects.requireNonNull(activationId, "activationId");
    Objects.requireNonNull(transactionId, "transactionId");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(arguments, "arguments");
    if (!(action.exec() instanceof Exec.Code)) {
      throw new IllegalArgumentException("only code and blackbox actions run in a container");
    }
  }

  public Exec.Code code() {
    return (Exec.Code) action.exec();
  }
}
