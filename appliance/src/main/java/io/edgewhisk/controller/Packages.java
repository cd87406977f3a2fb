package io.edgewhisk.controller;

import io.edgewhisk.model.Action;
import io.edgewhisk.model.EntityName;
import io.edgewhisk.model.EntityType;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.SemVer;
import io.edgewhisk.model.WhiskEntity;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.model.WhiskPackage;
import io.edgewhisk.store.EntityChange;
import io.edgewhisk.store.EntityStore;
import io.edgewhisk.store.EntityStore.EntityListQuery;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Packages and bindings with OpenWhisk's semantics: sharing by {@code publish}, bindings, forced delete. */
public final class Packages {
  /** Most actions a package lists or a forced delete removes; far above any real package. */
  private static final int MAX_PACKAGE_ACTIONS = 10_000;

  private final EntityStore entities;
  private final Entitlement entitlement;
  private final long maxParametersBytes;
  private final Clock clock;

  public Packages(EntityStore entities, Entitlement entitlement, long maxParametersBytes, Clock clock) {
    this.entities = Objects.requireNonNull(entities, "entities");
    this.entitlement = Objects.requireNonNull(entitlement, "entitlement");
    this.maxParametersBytes = maxParametersBytes;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Future<WhiskPackage> put(Identity who, FullyQualifiedName fqn, JsonObject body, boolean overwrite) {
    try {
      Entitlement.requireOwner(who, fqn.namespace(), fqn.toString());
      if ("default".equals(fqn.name())) {
        return Future.failedFuture(WhiskException.badRequest("Package name 'default' is reserved."));
      }
      return entities.get(fqn).compose(existing -> {
        EntityRules.checkPut(existing, EntityType.PACKAGE, overwrite);
        WhiskPackage old = (WhiskPackage) existing;
        JsonObject bindingJson = JsonFields.object(body, "binding", "binding");
        FullyQualifiedName binding = bindingJson == null
            ? (old == null ? null : old.binding())
            : bindingTarget(who, bindingJson);
        if (old != null && !old.isBinding() && binding != null) {
          throw WhiskException.badRequest("Resource is a package and cannot be converted into a binding.");
        }
        KeyValues parameters = EntityRules.keyValues(body, "parameters", old == null ? null : old.parameters(), maxParametersBytes);
        KeyValues annotations = EntityRules.keyValues(body, "annotations", old == null ? null : old.annotations(), maxParametersBytes);
        Boolean publish = JsonFields.bool(body, "publish", "publish");
        WhiskPackage pkg = new WhiskPackage(fqn,
            old == null ? SemVer.INITIAL : old.version().bumpPatch(),
            publish != null ? publish : old != null && old.publish(),
            binding, parameters, annotations, clock.millis());
        Future<Void> checked = binding == null ? Future.succeededFuture() : checkBindingTarget(who, binding);
        EntityChange change = old == null ? new EntityChange.Create(pkg) : new EntityChange.Update(pkg, old.version());
        return checked.compose(v -> entities.apply(List.of(change))).map(pkg);
      });
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }

  /**
   * The package as OpenWhisk's GET shows it: with its {@code actions} and {@code feeds}; a binding shows
   * the bound package's actions, and parameters merged over the bound package's.
   */
  public Future<JsonObject> get(Identity who, FullyQualifiedName fqn) {
    try {
      return entitlement.check(who, Right.READ, fqn, true)
          .compose(v -> entities.get(fqn))
          .compose(e -> {
            WhiskPackage pkg = EntityRules.require(e, EntityType.PACKAGE, fqn.toString());
            if (!pkg.isBinding()) {
              return withActions(pkg.toJson(), pkg.fqn());
            }
            return entities.get(pkg.binding()).compose(t -> {
              JsonObject json = pkg.toJson();
              if (t instanceof WhiskPackage target) {
                json.put("parameters", target.parameters().merge(pkg.parameters()).toJson());
                return withActions(json, target.fqn());
              }
              return Future.succeededFuture(json.put("actions", new JsonArray()).put("feeds", new JsonArray()));
            });
          });
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }

  public Future<WhiskPackage> delete(Identity who, FullyQualifiedName fqn, boolean force) {
    try {
      Entitlement.requireOwner(who, fqn.namespace(), fqn.toString());
      return entities.get(fqn).compose(e -> {
        WhiskPackage pkg = EntityRules.require(e, EntityType.PACKAGE, fqn.toString());
        return actionsOf(fqn).compose(actions -> {
          if (!actions.isEmpty() && !force) {
            int n = actions.size();
            return Future.failedFuture(new WhiskException(409,
                "Package not empty (contains " + n + " " + (n == 1 ? "entity" : "entities") + ")."));
          }
          List<EntityChange> changes = new ArrayList<>();
          actions.forEach(a -> changes.add(new EntityChange.Delete(a.fqn(), a.version())));
          changes.add(new EntityChange.Delete(fqn, pkg.version()));
          return entities.apply(changes).map(pkg);
        });
      });
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }

  private Future<JsonObject> withActions(JsonObject json, FullyQualifiedName pkg) {
    return actionsOf(pkg).map(actions -> {
      JsonArray list = new JsonArray();
      JsonArray feeds = new JsonArray();
      for (WhiskEntity a : actions) {
        JsonObject summary = new JsonObject()
            .put("name", a.fqn().name())
            .put("version", a.version().toString())
            .put("annotations", a.annotations().toJson());
        (a.annotations().has("feed") ? feeds : list).add(summary);
      }
      return json.put("actions", list).put("feeds", feeds);
    });
  }

  private Future<List<WhiskEntity>> actionsOf(FullyQualifiedName pkg) {
    return entities.list(new EntityListQuery(pkg.namespace(), EntityType.ACTION, pkg.name(), false, 0, MAX_PACKAGE_ACTIONS))
        .map(list -> list.stream().filter(Action.class::isInstance).toList());
  }

  private static FullyQualifiedName bindingTarget(Identity who, JsonObject b) {
    if (b.isEmpty()) {
      return null;
    }
    String ns = JsonFields.string(b, "namespace", "binding.namespace");
    String name = JsonFields.string(b, "name", "binding.name");
    if (ns == null || name == null) {
      throw WhiskException.badRequest("The request content was malformed: 'binding' needs 'namespace' and 'name'.");
    }
    ns = "_".equals(ns) ? who.namespace() : ns;
    return FullyQualifiedName.of(EntityName.require(ns, "namespace"), EntityName.require(name, "package"));
  }

  private Future<Void> checkBindingTarget(Identity who, FullyQualifiedName target) {
    return entities.get(target).compose(t -> {
      if (t == null) {
        return Future.failedFuture(WhiskException.badRequest("Binding references a package that does not exist."));
      }
      if (!(t instanceof WhiskPackage p)) {
        return Future.failedFuture(WhiskException.badRequest("Cannot bind to a resource that is not a package."));
      }
      if (p.isBinding()) {
        return Future.failedFuture(WhiskException.badRequest("Cannot bind to another package binding."));
      }
      return entitlement.check(who, Right.READ, target, true);
    });
  }
}
