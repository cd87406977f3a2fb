package io.edgewhisk.api;

import io.edgewhisk.controller.ActionResolver;
import io.edgewhisk.controller.Activator;
import io.edgewhisk.controller.InvocationOutcome;
import io.edgewhisk.controller.Right;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.store.SubjectStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * Finds and invokes web actions: the action must exist (not through a package binding) and be
 * annotated {@code web-export: true}; it runs as its namespace's owner, blocking, for up to OpenWhisk's
 * 60 s. Whatever is not a web action answers the same 404, so that the API reveals nothing about
 * namespaces and private actions to anonymous callers.
 */
public final class WebActions {
  /** OpenWhisk's longest wait for a blocking activation, which web actions always are. */
  public static final long WAIT_MILLIS = 60_000;
  private final SubjectStore subjects;
  private final ActionResolver resolver;
  private final Activator activator;
  private final long waitMillis;

  public WebActions(SubjectStore subjects, ActionResolver resolver, Activator activator, long waitMillis) {
    this.subjects = Objects.requireNonNull(subjects, "subjects");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.activator = Objects.requireNonNull(activator, "activator");
    if (waitMillis <= 0) {
      throw new IllegalArgumentException("waitMillis must be positive: " + waitMillis);
    }
    this.waitMillis = waitMillis;
  }

  /** The exported action by this name; 404 for an unknown namespace, a missing or unexported action. */
  Future<WebAction> find(FullyQualifiedName name) {
    Identity owner = subjects.identityOf(name.namespace());
    if (owner == null) {
      return Future.failedFuture(WhiskException.notFound());
    }
    return resolver.resolve(owner, Right.ACTIVATE, name)
        .recover(t -> Future.failedFuture(hidden(t)))
        .compose(resolved -> {
          // OpenWhisk fetches the action itself by the name asked for, so a binding finds nothing
          if (!resolved.action().fqn().equals(name) || !resolved.action().annotations().isTrue(WebAction.WEB_EXPORT)) {
            return Future.failedFuture(WhiskException.notFound());
          }
          return Future.succeededFuture(new WebAction(owner, name, resolved.action(), resolved.parameters()));
        });
  }

  /** Invokes blocking as the owner; the Activator merges the action's parameters under the payload. */
  Future<InvocationOutcome> invoke(WebAction action, JsonObject payload) {
    return activator.invoke(action.owner(), action.name(), payload, true, waitMillis);
  }

  /** Lookup failures that would tell a caller what exists become the plain 404; the store's own stay. */
  private static Throwable hidden(Throwable t) {
    if (t instanceof WhiskException w && w.status() >= 400 && w.status() < 500) {
      return WhiskException.notFound();
    }
    return t;
  }
}
