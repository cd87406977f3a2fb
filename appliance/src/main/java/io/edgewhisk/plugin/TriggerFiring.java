package io.edgewhisk.plugin;

import io.edgewhisk.controller.Activator;
import io.edgewhisk.controller.RefusedFires;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.spi.FireOutcome;
import io.edgewhisk.spi.TriggerService;
import io.edgewhisk.store.SubjectStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The core's {@link TriggerService}: a fire as the trigger's owner through the same {@link Activator#fire}
 * as the REST API's, its refusals turned into outcomes. The owner is whoever the trigger's namespace belongs
 * to now; a namespace that is gone or blocked refuses with 403, as its key would be. A fire the namespace's
 * {@code firesPerMinute} refuses (429) is recorded by {@link RefusedFires}: a plugin's caller (a sensor) has
 * no one to show the 429 to.
 */
public final class TriggerFiring implements TriggerService {
  private final Activator activator;
  private final SubjectStore subjects;
  private final RefusedFires refusedFires;

  public TriggerFiring(Activator activator, SubjectStore subjects, RefusedFires refusedFires) {
    this.activator = Objects.requireNonNull(activator, "activator");
    this.subjects = Objects.requireNonNull(subjects, "subjects");
    this.refusedFires = Objects.requireNonNull(refusedFires, "refusedFires");
  }

  @Override
  public Future<FireOutcome> fire(String trigger, JsonObject payload) {
    FullyQualifiedName fqn;
    Identity owner;
    try {
      fqn = FullyQualifiedName.parse(Objects.requireNonNull(trigger, "trigger"), null);
      if (fqn.pkg() != null || "_".equals(fqn.namespace())) {
        throw WhiskException.badRequest("the trigger name '" + trigger + "' is not valid");
      }
      owner = subjects.identityOf(fqn.namespace());
      if (owner == null || subjects.isBlocked(fqn.namespace())) {
        return Future.succeededFuture(FireOutcome.refused(403, WhiskException.forbidden(fqn.toString()).getMessage()));
      }
    } catch (RuntimeException e) {
      return Future.succeededFuture(refusal(WhiskException.from(e), null));
    }
    JsonObject args = payload == null ? new JsonObject() : payload;
    return activator.fire(owner, fqn, args).transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(ar.result() == null ? FireOutcome.noActiveRule() : FireOutcome.fired(ar.result().value()));
      }
      WhiskException w = WhiskException.from(ar.cause());
      if (w.status() != 429) {
        return Future.succeededFuture(refusal(w, null));
      }
      // the outcome stays a refusal even when its record cannot be written: the fire was refused either way
      return refusedFires.refused(owner, fqn, args, w).transform(rec -> Future.succeededFuture(
          refusal(w, rec.succeeded() && rec.result() != null ? rec.result().value() : null)));
    });
  }

  private static FireOutcome refusal(WhiskException w, String recordId) {
    return FireOutcome.refused(w.status(), w.getMessage(), recordId);
  }
}
