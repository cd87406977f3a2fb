package io.edgewhisk.controller;

import io.edgewhisk.model.Identity;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * An action of the built-in catalog that runs inside the appliance instead of in a container (the
 * alarm feeds, which must reach the appliance's own scheduler). Stored as an action with exec kind
 * {@value #KIND} and {@code code} = {@link #name()}; its activations are recorded like any other.
 */
public interface BuiltinAction {
  String KIND = "builtin";

  /** What the action's {@code exec.code} names, e.g. {@code alarms/alarm}. */
  String name();

  /**
   * Runs with the merged arguments as the invoking identity. A result with {@code error} is an
   * application error; a failed future is a developer error with its message.
   */
  Future<JsonObject> run(Identity who, JsonObject args);
}
