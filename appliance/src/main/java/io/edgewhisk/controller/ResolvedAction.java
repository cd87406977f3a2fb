package io.edgewhisk.controller;

import io.edgewhisk.model.Action;
import io.edgewhisk.model.KeyValues;
import java.util.Objects;

/**
 * An action found through its name, possibly through a package binding: the action as stored, and
 * the parameters it runs with (package &lt; binding &lt; action).
 */
public record ResolvedAction(Action action, KeyValues parameters) {
  public ResolvedAction {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(parameters, "parameters");
  }
}
