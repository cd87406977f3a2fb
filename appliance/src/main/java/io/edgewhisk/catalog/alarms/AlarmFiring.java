package io.edgewhisk.catalog.alarms;

import io.edgewhisk.controller.Activator;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.Rule;
import io.edgewhisk.model.Trigger;
import io.edgewhisk.model.WhiskEntity;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.store.EntityChange;
import io.edgewhisk.store.EntityStore;
import io.edgewhisk.store.SubjectStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a due alarm does to the rest of the appliance: fire its trigger as the trigger's owner, and for a
 * fire-once alarm with {@code deleteAfterFire}, delete the trigger (and with {@code rules}, its rules too).
 */
public final class AlarmFiring {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmFiring.class);

  private final SubjectStore subjects;
  private final EntityStore entities;

  public AlarmFiring(SubjectStore subjects, EntityStore entities) {
    this.subjects = Objects.requireNonNull(subjects, "subjects");
    this.entities = Objects.requireNonNull(entities, "entities");
  }

  /** Fires the alarm's trigger with its payload; fails with 401 when the owner's namespace is gone. */
  Future<ActivationId> fire(Activator activator, Alarm alarm) {
    Identity owner = subjects.identityOf(alarm.owner());
    if (owner == null) {
      return Future.failedFuture(WhiskException.unauthorized());
    }
    return activator.fire(owner, alarm.trigger(), alarm.payload().copy());
  }

  /** Deletes the alarm's trigger, and its rules when {@code deleteAfterFire} is {@code rules}; logs failures. */
  Future<Void> deleteTrigger(Alarm alarm) {
    boolean withRules = "rules".equals(alarm.deleteAfterFire());
    return entities.get(alarm.trigger())
        .compose(e -> {
          if (!(e instanceof Trigger t)) {
            return Future.succeededFuture(List.<EntityChange>of());
          }
          List<EntityChange> changes = new ArrayList<>();
          changes.add(new EntityChange.Delete(t.fqn(), t.version()));
          if (!withRules) {
            return Future.succeededFuture(changes);
          }
          List<Future<WhiskEntity>> rules = new ArrayList<>();
          for (FullyQualifiedName rule : t.rules().keySet()) {
            rules.add(entities.get(rule));
          }
          return Future.all(rules).map(all -> {
            for (int i = 0; i < all.size(); i++) {
              if (all.resultAt(i) instanceof Rule r) {
                changes.add(new EntityChange.Delete(r.fqn(), r.version()));
              }
            }
            return changes;
          });
        })
        .compose(entities::apply)
        .onSuccess(v -> LOG.info("Deleted trigger {}{} after its fire-once alarm fired", alarm.trigger(),
            withRules ? " and its rules" : ""))
        .onFailure(e -> LOG.warn("Could not delete trigger {} after its fire-once alarm fired", alarm.trigger(), e));
  }
}
