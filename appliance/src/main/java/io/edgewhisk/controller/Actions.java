package io.edgewhisk.controller;

import io.edgewhisk.model.Action;
import io.edgewhisk.model.EntityType;
import io.edgewhisk.model.Exec;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.model.WhiskPackage;
import io.edgewhisk.store.EntityChange;
import io.edgewhisk.store.EntityStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/** Creating, updating, reading and deleting actions with OpenWhisk's semantics. */
public final class Actions {
  private final EntityStore entities;
  private final ActionResolver resolver;
  private final ActionFactory factory;
  private final SequenceChecker sequences;
  private final Clock clock;

  public Actions(EntityStore entities, ActionResolver resolver, ActionFactory factory, SequenceChecker sequences, Clock clock) {
    this.entities = Objects.requireNonNull(entities, "entities");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.sequences = Objects.requireNonNull(sequences, "sequences");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Future<Action> put(Identity who, FullyQualifiedName fqn, JsonObject body, boolean overwrite) {
    try {
      Entitlement.requireOwner(who, fqn.namespace(), fqn.toString());
      return requireWritablePackage(fqn)
          .compose(v -> entities.get(fqn))
          .compose(existing -> {
            EntityRules.checkPut(existing, EntityType.ACTION, overwrite);
            Action old = (Action) existing;
            Action action = factory.build(who, fqn, old, body, clock.millis());
            Future<Void> checked = action.exec() instanceof Exec.Sequence s
                ? sequences.check(who, fqn, s)
                : Future.succeededFuture();
            EntityChange change = old == null
                ? new EntityChange.Create(action)
                : new EntityChange.Update(action, old.version());
            return checked.compose(ok -> entities.apply(List.of(change))).map(action);
          });
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }

  /** The action as a client asked for it; through a binding, with the merged parameters. */
  public Future<Action> get(Identity who, FullyQualifiedName fqn) {
    try {
      return resolver.resolve(who, Right.READ, fqn).map(r -> {
        Action a = r.action();
        return new Action(a.fqn(), a.version(), a.publish(), a.exec(), r.parameters(), a.annotations(), a.limits(), a.updated());
      });
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }

  public Future<Action> delete(Identity who, FullyQualifiedName fqn) {
    try {
      Entitlement.requireOwner(who, fqn.namespace(), fqn.toString());
      return requireWritablePackage(fqn)
          .compose(v -> entities.get(fqn))
          .compose(e -> {
            Action a = EntityRules.require(e, EntityType.ACTION, fqn.toString());
            return entities.apply(List.of(new EntityChange.Delete(fqn, a.version()))).map(a);
          });
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }

  /** An action may live only in a package (not a binding) that exists. */
  private Future<Void> requireWritablePackage(FullyQualifiedName fqn) {
    if (fqn.pkg() == null) {
      return Future.succeededFuture();
    }
    return entities.get(fqn.packageName()).compose(p -> {
      if (p == null) {
        return Future.failedFuture(WhiskException.notFound(fqn.packageName().toString()));
      }
      if (!(p instanceof WhiskPackage pkg)) {
        return Future.failedFuture(EntityRules.notInCollection());
      }
      if (pkg.isBinding()) {
        return Future.failedFuture(WhiskException.badRequest("Operation not permitted on package binding."));
      }
      return Future.succeededFuture();
    });
  }
}
