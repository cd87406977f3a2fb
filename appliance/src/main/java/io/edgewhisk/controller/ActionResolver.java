package io.edgewhisk.controller;

import io.edgewhisk.model.Action;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.WhiskEntity;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.model.WhiskPackage;
import io.edgewhisk.store.EntityStore;
import io.vertx.core.Future;
import java.util.Objects;

/**
 * Finds an action by the name a client used, following a package binding to the bound package and
 * merging parameters as OpenWhisk does (package &lt; binding &lt; action), with entitlement checked on
 * the name asked for and on the package it resolves to.
 */
public final class ActionResolver {
  private final EntityStore entities;
  private final Entitlement entitlement;

  public ActionResolver(EntityStore entities, Entitlement entitlement) {
    this.entities = Objects.requireNonNull(entities, "entities");
    this.entitlement = Objects.requireNonNull(entitlement, "entitlement");
  }

  public Future<ResolvedAction> resolve(Identity who, Right right, FullyQualifiedName asked) {
    try {
      return entitlement.check(who, right, asked, false).compose(v -> {
        if (asked.pkg() == null) {
          return entities.get(asked).map(e -> {
            Action a = requireAction(e, asked);
            return new ResolvedAction(a, a.parameters());
          });
        }
        return entities.get(asked.packageName()).compose(p -> {
          if (!(p instanceof WhiskPackage pkg)) {
            return Future.failedFuture(WhiskException.notFound(asked.toString()));
          }
          if (!pkg.isBinding()) {
            return entities.get(asked).map(e -> {
              Action a = requireAction(e, asked);
              return new ResolvedAction(a, pkg.parameters().merge(a.parameters()));
            });
          }
          FullyQualifiedName target = new FullyQualifiedName(pkg.binding().namespace(), pkg.binding().name(), asked.name());
          return entitlement.check(who, right, target, false)
              .compose(ok -> entities.get(target.packageName()))
              .compose(bound -> entities.get(target).map(e -> {
                Action a = requireAction(e, asked);
                KeyValues base = bound instanceof WhiskPackage b ? b.parameters() : KeyValues.EMPTY;
                return new ResolvedAction(a, base.merge(pkg.parameters()).merge(a.parameters()));
              }));
        });
      });
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }

  private static Action requireAction(WhiskEntity e, FullyQualifiedName asked) {
    if (e instanceof Action a) {
      return a;
    }
    if (e == null) {
      throw WhiskException.notFound(asked.toString());
    }
    throw EntityRules.notInCollection();
  }
}
