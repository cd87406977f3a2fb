package io.edgewhisk.controller;

import io.edgewhisk.model.EntityType;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.Rule;
import io.edgewhisk.model.RuleStatus;
import io.edgewhisk.model.SemVer;
import io.edgewhisk.model.Trigger;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.store.EntityChange;
import io.edgewhisk.store.EntityStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Rules, kept consistent with their triggers' {@code rules} maps: every change to a rule and to the
 * trigger(s) it names is written in one transaction.
 */
public final class Rules {
  private final EntityStore entities;
  private final ActionResolver resolver;
  private final Clock clock;

  public Rules(EntityStore entities, ActionResolver resolver, Clock clock) {
    this.entities = Objects.requireNonNull(entities, "entities");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Future<Rule> put(Identity who, FullyQualifiedName fqn, JsonObject body, boolean overwrite) {
    try {
      Entitlement.requireOwner(who, fqn.namespace(), fqn.toString());
      return entities.get(fqn).compose(existing -> {
        EntityRules.checkPut(existing, EntityType.RULE, overwrite);
        Rule old = (Rule) existing;
        String triggerName = JsonFields.string(body, "trigger", "trigger");
        String actionName = JsonFields.string(body, "action", "action");
        if (old == null && (triggerName == null || actionName == null)) {
          throw WhiskException.badRequest("The request content was malformed: a rule needs both 'trigger' and 'action'.");
        }
        FullyQualifiedName trigger = triggerName == null ? old.trigger() : reference(who, triggerName);
        FullyQualifiedName action = actionName == null ? old.action() : reference(who, actionName);
        KeyValues annotations = body.containsKey("annotations")
            ? KeyValues.fromJson(body.getValue("annotations"), "annotations")
            : old == null ? KeyValues.EMPTY : old.annotations();
        Boolean publish = JsonFields.bool(body, "publish", "publish");
        Rule rule = new Rule(fqn,
            old == null ? SemVer.INITIAL : old.version().bumpPatch(),
            publish != null ? publish : old != null && old.publish(),
            trigger, action,
            old == null ? RuleStatus.ACTIVE : old.status(),
            annotations, clock.millis());
        Entitlement.requireOwner(who, trigger.namespace(), trigger.toString());
        return resolver.resolve(who, Right.ACTIVATE, action)
            .compose(a -> entities.get(trigger))
            .compose(t -> {
              Trigger newTrigger = EntityRules.require(t, EntityType.TRIGGER, trigger.toString());
              List<EntityChange> changes = new ArrayList<>();
              changes.add(old == null ? new EntityChange.Create(rule) : new EntityChange.Update(rule, old.version()));
              if (old != null && !old.trigger().equals(trigger)) {
                return entities.get(old.trigger()).compose(previous -> {
                  if (previous instanceof Trigger p) {
                    changes.add(new EntityChange.Update(p.withoutRule(fqn, rule.updated()), p.version()));
                  }
                  changes.add(attach(newTrigger, rule));
                  return entities.apply(changes);
                });
              }
              changes.add(attach(newTrigger, rule));
              return entities.apply(changes);
            })
            .map(rule);
      });
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }

  public Future<Rule> get(Identity who, FullyQualifiedName fqn) {
    try {
      Entitlement.requireOwner(who, fqn.namespace(), fqn.toString());
      return entities.get(fqn).map(e -> EntityRules.require(e, EntityType.RULE, fqn.toString()));
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }

  /** Activates or deactivates the rule, in the rule and in its trigger's map. */
  public Future<Rule> setStatus(Identity who, FullyQualifiedName fqn, JsonObject body) {
    try {
      Entitlement.requireOwner(who, fqn.namespace(), fqn.toString());
      String word = JsonFields.string(body, "status", "status");
      RuleStatus status = RuleStatus.fromWord(word == null ? "" : word);
      return entities.get(fqn).compose(e -> {
        Rule old = EntityRules.require(e, EntityType.RULE, fqn.toString());
        if (old.status() == status) {
          return Future.succeededFuture(old);
        }
        Rule rule = old.withStatus(status, clock.millis());
        return entities.get(old.trigger()).compose(t -> {
          List<EntityChange> changes = new ArrayList<>();
          changes.add(new EntityChange.Update(rule, old.version()));
          if (t instanceof Trigger trigger) {
            changes.add(attach(trigger, rule));
          }
          return entities.apply(changes).map(rule);
        });
      });
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }

  public Future<Rule> delete(Identity who, FullyQualifiedName fqn) {
    try {
      Entitlement.requireOwner(who, fqn.namespace(), fqn.toString());
      return entities.get(fqn).compose(e -> {
        Rule rule = EntityRules.require(e, EntityType.RULE, fqn.toString());
        return entities.get(rule.trigger()).compose(t -> {
          List<EntityChange> changes = new ArrayList<>();
          changes.add(new EntityChange.Delete(fqn, rule.version()));
          if (t instanceof Trigger trigger && trigger.rules().containsKey(fqn)) {
            changes.add(new EntityChange.Update(trigger.withoutRule(fqn, clock.millis()), trigger.version()));
          }
          return entities.apply(changes).map(rule);
        });
      });
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }

  private static EntityChange attach(Trigger trigger, Rule rule) {
    Trigger updated = trigger.withRule(rule.fqn(), new Trigger.TriggerRule(rule.action(), rule.status()), rule.updated());
    return new EntityChange.Update(updated, trigger.version());
  }

  /** A trigger or action named in a rule: {@code /ns/name}, {@code /ns/pkg/name}, or relative to the caller. */
  private static FullyQualifiedName reference(Identity who, String name) {
    return FullyQualifiedName.parse(name.startsWith("/_/") ? "/" + who.namespace() + name.substring(2) : name,
        who.namespace());
  }
}
