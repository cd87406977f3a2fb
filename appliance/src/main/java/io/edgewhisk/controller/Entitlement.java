package io.edgewhisk.controller;

import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.WhiskEntity;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.model.WhiskPackage;
import io.edgewhisk.store.EntityStore;
import io.vertx.core.Future;
import java.util.Objects;

/**
 * OpenWhisk's entitlement: the owner of a namespace may do anything in it; anyone may read a package
 * published by another namespace, and read and activate the actions in it. Nothing else crosses
 * namespaces.
 */
public final class Entitlement {
  private final EntityStore entities;

  public Entitlement(EntityStore entities) {
    this.entities = Objects.requireNonNull(entities, "entities");
  }

  public static boolean owns(Identity who, String namespace) {
    return who.namespace().equals(namespace);
  }

  /** Fails with 403 unless {@code who} owns {@code namespace}; {@code resource} names what was asked for. */
  public static void requireOwner(Identity who, String namespace, String resource) {
    if (!owns(who, namespace)) {
      throw WhiskException.forbidden(resource);
    }
  }

  /**
   * Checks a right on an entity. In another namespace, reading a published package, or reading or
   * activating an action in a published package, is allowed; anything else answers 403.
   */
  public Future<Void> check(Identity who, Right right, FullyQualifiedName fqn, boolean isPackage) {
    try {
      if (owns(who, fqn.namespace())) {
        return Future.succeededFuture();
      }
      if (right == Right.WRITE) {
        return Future.failedFuture(WhiskException.forbidden(fqn.toString()));
      }
      FullyQualifiedName pkg = isPackage ? fqn : fqn.packageName();
      if (pkg == null || (isPackage && right != Right.READ)) {
        return Future.failedFuture(WhiskException.forbidden(fqn.toString()));
      }
      return entities.get(pkg).compose(e -> {
        if (e instanceof WhiskPackage p && p.publish()) {
          return Future.succeededFuture();
        }
        return Future.failedFuture(WhiskException.forbidden(fqn.toString()));
      });
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }

  /** A convenience for callers that hold an entity's type. */
  public Future<Void> check(Identity who, Right right, WhiskEntity e) {
    try {
      return check(who, right, e.fqn(), e instanceof WhiskPackage);
    } catch (RuntimeException failure) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(failure);
    }
  }
}
