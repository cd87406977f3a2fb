package io.edgewhisk.plugin;

import io.edgewhisk.config.ApplianceConfig;
import io.edgewhisk.controller.Controllers;
import io.edgewhisk.controller.RuntimeKinds;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.WhiskEntity;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.spi.EntityDocument;
import io.edgewhisk.spi.EntityService;
import io.edgewhisk.store.EntityChange;
import io.edgewhisk.store.EntityStore;
import io.edgewhisk.store.EntityStore.Origin;
import io.edgewhisk.store.SubjectStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The core's {@link EntityService}: reads through the API's entity cache, and applies the fleet's changes
 * through the same controllers as the REST API (so a fleet entity is validated exactly as a {@code PUT}),
 * over a view of the store that writes with origin {@code fleet}. A rule from the fleet makes its trigger's
 * rule list (stored in the trigger) the fleet's too, as OpenWhisk keeps it in the trigger's document.
 */
public final class FleetEntities implements EntityService {
  private final EntityStore entities;
  private final SubjectStore subjects;
  private final Controllers fleet;
  private final Controllers local;

  public FleetEntities(ApplianceConfig config, EntityStore entities, SubjectStore subjects, RuntimeKinds kinds,
      Clock clock) {
    this.entities = Objects.requireNonNull(entities, "entities");
    this.subjects = Objects.requireNonNull(subjects, "subjects");
    this.fleet = Controllers.wire(config, new FleetView(entities), kinds, clock);
    this.local = Controllers.wire(config, entities, kinds, clock);
  }

  @Override
  public Future<EntityDocument> get(String name) {
    try {
      FullyQualifiedName fqn = absolute(name);
      return entities.get(fqn).compose(e -> e == null ? Future.succeededFuture()
          : entities.origin(fqn).map(o -> document(e, o == null ? Origin.LOCAL : o)));
    } catch (WhiskException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<EntityDocument> applyFromFleet(String type, String name, JsonObject body) {
    Future<? extends WhiskEntity> put;
    try {
      FullyQualifiedName fqn = absolute(name);
      Identity owner = owner(fqn);
      JsonObject b = body == null ? new JsonObject() : body;
      put = switch (type == null ? "" : type) {
        case "actions" -> fleet.actions().put(owner, fqn, b, true);
        case "packages" -> fleet.packages().put(owner, fqn, b, true);
        case "triggers" -> fleet.triggers().put(owner, fqn, b, true);
        // OpenWhisk keeps a rule's status in its trigger's document; sync sends it in the rule's body
        case "rules" -> fleet.rules().put(owner, fqn, b, true).compose(r -> b.getValue("status") == null
            ? Future.succeededFuture(r)
            : fleet.rules().setStatus(owner, fqn, new JsonObject().put("status", b.getValue("status"))));
        default -> throw WhiskException.badRequest("unknown entity type '" + type + "': use actions, packages, triggers or rules");
      };
    } catch (WhiskException e) {
      return Future.failedFuture(e);
    }
    return put.map(e -> document(e, Origin.FLEET));
  }

  @Override
  public Future<Boolean> deleteFromFleet(String name) {
    FullyQualifiedName fqn;
    Identity owner;
    try {
      fqn = absolute(name);
      owner = owner(fqn);
    } catch (WhiskException e) {
      return Future.failedFuture(e);
    }
    return entities.get(fqn).compose(e -> {
      if (e == null) {
        return Future.succeededFuture(false);
      }
      return entities.origin(fqn).compose(origin -> {
        if (origin != Origin.FLEET) {
          return Future.failedFuture(new WhiskException(409, "The entity " + fqn.absolute()
              + " was made on this device, not by the fleet; the fleet does not delete it."));
        }
        return delete(fleet, owner, e).map(true);
      });
    });
  }

  @Override
  public Future<Boolean> deleteAsOwner(String name) {
    FullyQualifiedName fqn;
    Identity owner;
    try {
      fqn = absolute(name);
      owner = owner(fqn);
    } catch (WhiskException e) {
      return Future.failedFuture(e);
    }
    return entities.get(fqn).compose(e -> e == null ? Future.succeededFuture(false) : delete(local, owner, e).map(true));
  }

  private static Future<?> delete(Controllers controllers, Identity owner, WhiskEntity e) {
    return switch (e.type()) {
      case ACTION -> controllers.actions().delete(owner, e.fqn());
      case PACKAGE -> controllers.packages().delete(owner, e.fqn(), false);
      case TRIGGER -> controllers.triggers().delete(owner, e.fqn());
      case RULE -> controllers.rules().delete(owner, e.fqn());
    };
  }

  private Identity owner(FullyQualifiedName fqn) {
    Identity owner = subjects.identityOf(fqn.namespace());
    if (owner == null) {
      throw new WhiskException(404, "The namespace " + fqn.namespace() + " does not exist on this device.");
    }
    return owner;
  }

  private static FullyQualifiedName absolute(String name) {
    FullyQualifiedName fqn = FullyQualifiedName.parse(name, null);
    if (fqn.namespace() == null || "_".equals(fqn.namespace())) {
      throw WhiskException.badRequest("the entity name '" + name + "' must be fully qualified: /namespace/[package/]name");
    }
    return fqn;
  }

  static EntityDocument document(WhiskEntity e, Origin origin) {
    return new EntityDocument(e.type().collection(), e.fqn().absolute(), origin.word(), e.toJson());
  }

  /** The store as the fleet writes it: every change with origin {@code fleet}. */
  private record FleetView(EntityStore store) implements EntityStore {
    @Override
    public Future<WhiskEntity> get(FullyQualifiedName fqn) {
      return store.get(fqn);
    }

    @Override
    public Future<Void> apply(List<EntityChange> changes, Origin origin) {
      return store.apply(changes, Origin.FLEET);
    }

    @Override
    public Future<Origin> origin(FullyQualifiedName fqn) {
      return store.origin(fqn);
    }

    @Override
    public Future<List<WhiskEntity>> list(EntityListQuery query) {
      return store.list(query);
    }

    @Override
    public Future<Long> count(EntityListQuery query) {
      return store.count(query);
    }
  }

  /** The JSON published at {@link EntityService#CHANGED} for one applied change. */
  public static JsonObject changed(EntityChange change, Origin origin) {
    FullyQualifiedName fqn = io.edgewhisk.store.CachingEntityStore.nameOf(change);
    JsonObject o = new JsonObject().put("name", fqn.absolute())
        .put("change", change instanceof EntityChange.Delete ? "delete" : "put").put("origin", origin.word());
    if (change instanceof EntityChange.Create c) {
      o.put("type", c.entity().type().collection());
    } else if (change instanceof EntityChange.Update u) {
      o.put("type", u.entity().type().collection());
    }
    return o;
  }
}
