package io.edgewhisk.controller;

import io.edgewhisk.model.Action;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.ActivationResponse;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.KeyValue;
import io.edgewhisk.model.KeyValues;
import java.util.ArrayList;
import java.util.List;

/** Activation records the controller writes itself: failures before a container, builtins, triggers. */
final class Activations {
  private Activations() {}

  /** The annotations every action activation carries: path, kind, limits. */
  static KeyValues annotations(Action action) {
    return new KeyValues(List.of(
        KeyValue.of("path", action.fqn().toString()),
        KeyValue.of("kind", action.exec().kind()),
        KeyValue.of("limits", action.limits().toJson())));
  }

  static Activation of(Identity who, Action action, ActivationId id, ActivationId cause, long start, long end,
      ActivationResponse response, List<String> logs, KeyValues annotations) {
    return Activation.record(who.namespace(), action.fqn().name(), who.subject(), id, start, end, end - start, cause,
        response, logs, annotations, action.version());
  }

  /** A copy with more annotations (e.g. {@code causedBy} on a sequence's components). */
  static Activation annotate(Activation a, KeyValue... more) {
    List<KeyValue> all = new ArrayList<>(a.annotations().entries());
    KeyValues kv = new KeyValues(all);
    for (KeyValue m : more) {
      kv = kv.with(m.key(), m.value());
    }
    return new Activation(a.namespace(), a.name(), a.subject(), a.activationId(), a.start(), a.end(), a.duration(),
        a.cause(), a.response(), a.logs(), kv, a.version(), a.publish());
  }
}
