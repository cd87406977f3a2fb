package io.edgewhisk.controller;

import io.edgewhisk.model.EntityType;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.WhiskEntity;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.model.WhiskPackage;
import io.edgewhisk.store.EntityStore;
import io.edgewhisk.store.EntityStore.EntityListQuery;
import io.vertx.core.Future;
import java.util.List;
import java.util.Objects;

/**
 * Lists a collection as OpenWhisk does: everything of the type in one's own namespace; in another
 * namespace only its published packages, or the actions of one published package. The actions of a
 * binding are those of the package it binds.
 */
public final class EntityLister {
  private final EntityStore entities;
  private final Entitlement entitlement;

  public EntityLister(EntityStore entities, Entitlement entitlement) {
    this.entities = Objects.requireNonNull(entities, "entities");
    this.entitlement = Objects.requireNonNull(entitlement, "entitlement");
  }

  /** What to list: a type in a namespace, optionally the actions of one package; paging as asked. */
  public record Listing(String namespace, EntityType type, String pkg, int skip, int limit) {}

  public Future<List<WhiskEntity>> list(Identity who, Listing l) {
    try {
      return query(who, l).compose(entities::list);
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }

  public Future<Long> count(Identity who, Listing l) {
    try {
      return query(who, l).compose(entities::count);
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }

  private Future<EntityListQuery> query(Identity who, Listing l) {
    boolean own = Entitlement.owns(who, l.namespace());
    if (l.pkg() == null) {
      if (own) {
        return Future.succeededFuture(new EntityListQuery(l.namespace(), l.type(), null, false, l.skip(), l.limit()));
      }
      if (l.type() == EntityType.PACKAGE) {
        return Future.succeededFuture(new EntityListQuery(l.namespace(), l.type(), null, true, l.skip(), l.limit()));
      }
      return Future.failedFuture(WhiskException.forbidden(l.namespace()));
    }
    FullyQualifiedName pkgName = FullyQualifiedName.of(l.namespace(), l.pkg());
    return entitlement.check(who, Right.READ, pkgName, true)
        .compose(v -> entities.get(pkgName))
        .compose(p -> {
          if (!(p instanceof WhiskPackage pkg)) {
            return Future.failedFuture(p == null ? WhiskException.notFound(pkgName.toString()) : EntityRules.notInCollection());
          }
          if (!pkg.isBinding()) {
            return Future.succeededFuture(
                new EntityListQuery(l.namespace(), EntityType.ACTION, l.pkg(), false, l.skip(), l.limit()));
          }
          FullyQualifiedName target = pkg.binding();
          return entitlement.check(who, Right.READ, target, true).map(ok ->
              new EntityListQuery(target.namespace(), EntityType.ACTION, target.name(), false, l.skip(), l.limit()));
        });
  }
}
