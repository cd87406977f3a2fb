package io.edgewhisk.plugin;

import io.edgewhisk.controller.ActivationCompletions;
import io.edgewhisk.controller.Invocations;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.spi.InvocationService;
import io.edgewhisk.store.ActivationStore;
import io.edgewhisk.store.SubjectStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The core's {@link InvocationService}: an invocation under the caller's activation id through
 * {@link Invocations#invokeWithId} (the REST invoke's checks, throttles, log and pool), answered with the record
 * as stored, once it is. An id already stored, or already running, is refused with 409: a record is never
 * overwritten, and a caller that repeats a request finds the first one's record with {@link #record}.
 */
public final class ActionInvoking implements InvocationService {
  private final Vertx vertx;
  private final Invocations invocations;
  private final SubjectStore subjects;
  private final ActivationStore activations;
  private final ActivationCompletions completions;
  private final long maxWaitMillis;

  /**
   * {@code maxWaitMillis} bounds the wait for a record (the longest action time limit and as long again for
   * queueing, start and logs): an activation whose record never comes must not hold its waiter for ever.
   */
  public ActionInvoking(Vertx vertx, Invocations invocations, SubjectStore subjects, ActivationStore activations,
      ActivationCompletions completions, long maxWaitMillis) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.invocations = Objects.requireNonNull(invocations, "invocations");
    this.subjects = Objects.requireNonNull(subjects, "subjects");
    this.activations = Objects.requireNonNull(activations, "activations");
    this.completions = Objects.requireNonNull(completions, "completions");
    this.maxWaitMillis = maxWaitMillis;
  }

  @Override
  public Future<JsonObject> invoke(String action, String namespace, JsonObject parameters, String activationId,
      String cause) {
    ActivationId id;
    ActivationId causeId;
    FullyQualifiedName fqn;
    Identity who;
    try {
      id = activationId(activationId);
      causeId = cause == null ? null : activationId(cause);
      who = owner(namespace);
      fqn = FullyQualifiedName.parse(action, namespace);
    } catch (RuntimeException e) {
      return Future.failedFuture(WhiskException.from(e));
    }
    Future<Activation> stored = completions.awaitStored(id);
    if (stored == null) {
      return Future.failedFuture(inUse(id));
    }
    return activations.contains(id)
        .compose(found -> found ? Future.<ActivationId>failedFuture(inUse(id))
            : invocations.invokeWithId(who, fqn, parameters == null ? new JsonObject() : parameters, id, causeId))
        .compose(accepted -> within(stored, id))
        .onFailure(t -> completions.forgetStored(id))
        .compose(this::asStored);
  }

  /**
   * The record as the store holds it: after a crash the invoke feed's replay can run the same activation as a
   * caller's repeat, and the store keeps the first record; the answer is that one. The activation itself when the
   * namespace does not store activations.
   */
  private Future<JsonObject> asStored(Activation a) {
    return activations.document(a.namespace(), a.activationId())
        .map(doc -> doc == null ? a.toJson() : doc.toJsonObject());
  }

  @Override
  public Future<JsonObject> record(String namespace, String activationId) {
    try {
      ActivationId id = activationId(activationId);
      return activations.document(Objects.requireNonNull(namespace, "namespace"), id)
          .map(doc -> doc == null ? null : doc.toJsonObject());
    } catch (RuntimeException e) {
      return Future.failedFuture(WhiskException.from(e));
    }
  }

  private Identity owner(String namespace) {
    if (namespace == null || namespace.isBlank()) {
      throw WhiskException.badRequest("The namespace is missing.");
    }
    Identity who = subjects.identityOf(namespace);
    if (who == null || subjects.isBlocked(namespace)) {
      throw WhiskException.forbidden(namespace);
    }
    return who;
  }

  private static ActivationId activationId(String value) {
    if (value == null) {
      throw WhiskException.badRequest("The activation id is missing.");
    }
    return new ActivationId(value);
  }

  private static WhiskException inUse(ActivationId id) {
    return new WhiskException(409, "The activation id " + id + " is in use: an activation with it is running or recorded.");
  }

  private Future<Activation> within(Future<Activation> stored, ActivationId id) {
    Promise<Activation> outcome = Promise.promise();
    long timer = vertx.setTimer(maxWaitMillis, t -> outcome.tryFail(WhiskException.unavailable("The activation " + id
        + " did not finish within " + maxWaitMillis / 1000 + " s; its record is stored when it does.")));
    stored.onSuccess(a -> {
      vertx.cancelTimer(timer);
      outcome.tryComplete(a);
    });
    return outcome.future();
  }
}
