package io.edgewhisk.controller;

import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationId;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Where finished activations are announced: blocking callers wait here for their record, and
 * listeners (the throttles) hear of every activation that finishes. A remote invocation waits for the
 * record as stored (logs and all), which comes later than the blocking caller's answer.
 */
public final class ActivationCompletions {
  private final Map<ActivationId, Promise<Activation>> waiting = new ConcurrentHashMap<>();
  private final Map<ActivationId, Promise<Activation>> storing = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<Consumer<Activation>> listeners = new CopyOnWriteArrayList<>();

  /** Registers interest before the activation is dispatched, so that no completion can be missed. */
  public Future<Activation> await(ActivationId id) {
    return waiting.computeIfAbsent(id, k -> Promise.promise()).future();
  }

  /** Gives up waiting (the caller timed out or the dispatch failed). */
  public void forget(ActivationId id) {
    waiting.remove(id);
  }

  /**
   * Registers interest in the record of {@code id} once it is stored (and appended to the {@code activations}
   * topic); null when someone waits for that id already, which makes the id in use.
   */
  public Future<Activation> awaitStored(ActivationId id) {
    Promise<Activation> p = Promise.promise();
    return storing.putIfAbsent(id, p) == null ? p.future() : null;
  }

  /** Gives up waiting for the stored record. */
  public void forgetStored(ActivationId id) {
    storing.remove(id);
  }

  /** The record is stored (or could not be, which has been logged): whoever waits for it hears now. */
  public void stored(Activation activation) {
    if (!storing.isEmpty()) {
      Promise<Activation> p = storing.remove(activation.activationId());
      if (p != null) {
        p.tryComplete(activation);
      }
    }
  }

  public void onCompletion(Consumer<Activation> listener) {
    listeners.add(listener);
  }

  public void complete(Activation activation) {
    Promise<Activation> p = waiting.remove(activation.activationId());
    if (p != null) {
      p.tryComplete(activation);
    }
    listeners.forEach(l -> l.accept(activation));
  }

  public int waiting() {
    return waiting.size();
  }
}
