package io.edgewhisk.controller;

import io.edgewhisk.model.Action;
import io.edgewhisk.model.Exec;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.WhiskException;
import io.vertx.core.Future;
import java.util.List;
import java.util.Objects;

/**
 * Checks a sequence before it is stored: every component exists and may be activated by its owner,
 * no component leads back to the sequence itself, and it has at most the allowed number of atomic
 * actions once nested sequences are unrolled.
 */
public final class SequenceChecker {
  private final ActionResolver resolver;
  private final int maxAtomicActions;

  public SequenceChecker(ActionResolver resolver, int maxAtomicActions) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.maxAtomicActions = maxAtomicActions;
  }

  public Future<Void> check(Identity who, FullyQualifiedName self, Exec.Sequence sequence) {
    try {
      return countAtomic(who, self, sequence.components(), 0).compose(n -> n > maxAtomicActions
          ? Future.failedFuture(WhiskException.badRequest("Too many actions in the sequence."))
          : Future.succeededFuture());
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }

  private Future<Integer> countAtomic(Identity who, FullyQualifiedName self, List<FullyQualifiedName> components, int depth) {
    if (depth > maxAtomicActions) {
      return Future.failedFuture(WhiskException.badRequest("Too many actions in the sequence."));
    }
    Future<Integer> total = Future.succeededFuture(0);
    for (FullyQualifiedName c : components) {
      total = total.compose(sum -> {
        if (sum > maxAtomicActions) {
          return Future.succeededFuture(sum);
        }
        if (c.equals(self)) {
          return Future.failedFuture(WhiskException.badRequest("Sequence may not refer to itself."));
        }
        return resolver.resolve(who, Right.ACTIVATE, c)
            .recover(t -> Future.failedFuture(t instanceof WhiskException w && w.status() == 403
                ? w : WhiskException.badRequest("Sequence component does not exist.")))
            .compose(resolved -> {
              Action a = resolved.action();
              if (a.fqn().equals(self)) {
                return Future.failedFuture(WhiskException.badRequest("Sequence may not refer to itself."));
              }
              if (a.exec() instanceof Exec.Sequence nested) {
                return countAtomic(who, self, nested.components(), depth + 1).map(n -> sum + n);
              }
              return Future.succeededFuture(sum + 1);
            });
      });
    }
    return total;
  }
}
