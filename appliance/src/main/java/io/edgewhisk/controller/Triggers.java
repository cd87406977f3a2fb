package io.edgewhisk.controller;

import io.edgewhisk.model.EntityType;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.SemVer;
import io.edgewhisk.model.Trigger;
import io.edgewhisk.store.EntityChange;
import io.edgewhisk.store.EntityStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Creating, updating, reading and deleting triggers; their {@code rules} are kept by {@link Rules}. */
public final class Triggers {
  private final EntityStore entities;
  private final long maxParametersBytes;
  private final Clock clock;

  public Triggers(EntityStore entities, long maxParametersBytes, Clock clock) {
    this.entities = Objects.requireNonNull(entities, "entities");
    this.maxParametersBytes = maxParametersBytes;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Future<Trigger> put(Identity who, FullyQualifiedName fqn, JsonObject body, boolean overwrite) {
    try {
      Entitlement.requireOwner(who, fqn.namespace(), fqn.toString());
      return entities.get(fqn).compose(existing -> {
        EntityRules.checkPut(existing, EntityType.TRIGGER, overwrite);
        Trigger old = (Trigger) existing;
        KeyValues parameters = EntityRules.keyValues(body, "parameters", old == null ? null : old.parameters(), maxParametersBytes);
        KeyValues annotations = EntityRules.keyValues(body, "annotations", old == null ? null : old.annotations(), maxParametersBytes);
        JsonFields.object(body, "limits", "limits");
        Boolean publish = JsonFields.bool(body, "publish", "publish");
        Trigger trigger = new Trigger(fqn,
            old == null ? SemVer.INITIAL : old.version().bumpPatch(),
            publish != null ? publish : old != null && old.publish(),
            parameters, annotations,
            old == null ? Map.of() : old.rules(),
            clock.millis());
        EntityChange change = old == null ? new EntityChange.Create(trigger) : new EntityChange.Update(trigger, old.version());
        return entities.apply(List.of(change)).map(trigger);
      });
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }

  public Future<Trigger> get(Identity who, FullyQualifiedName fqn) {
    try {
      Entitlement.requireOwner(who, fqn.namespace(), fqn.toString());
      return entities.get(fqn).map(e -> EntityRules.require(e, EntityType.TRIGGER, fqn.toString()));
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }

  public Future<Trigger> delete(Identity who, FullyQualifiedName fqn) {
    try {
      Entitlement.requireOwner(who, fqn.namespace(), fqn.toString());
      return entities.get(fqn).compose(e -> {
        Trigger t = EntityRules.require(e, EntityType.TRIGGER, fqn.toString());
        return entities.apply(List.of(new EntityChange.Delete(fqn, t.version()))).map(t);
      });
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }
}
