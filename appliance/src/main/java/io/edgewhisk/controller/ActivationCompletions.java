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
 * listeners (the throttles) hear of every activation that finishes.
 */
public final class ActivationCompletions {
  private final Map<ActivationId, Promise<Activation>> waiting = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<Consumer<Activation>> listeners = new CopyOnWriteArrayList<>();

  /** Registers interest before the activation is dispatched, so that no completion can be missed. */
  public Future<Activation> await(ActivationId id) {
    return waiting.computeIfAbsent(id, k -> Promise.promise()).future();
  }

  /** Gives up waiting (the caller timed out or the dispatch failed). */
  public void forget(ActivationId id) {
    waiting.remove(id);
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
