package io.edgewhisk.plugin;

import io.edgewhisk.controller.Activator;
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
 * to now; a namespace that is gone or blocked refuses with 403, as its key would be.
 */
public final class TriggerFiring implements TriggerService {
  private final Activator activator;
  private final SubjectStore subjects;

  public TriggerFiring(Activator activator, SubjectStore subjects) {
    this.activator = Objects.requireNonNull(activator, "activator");
    this.subjects = Objects.requireNonNull(subjects, "subjects");
  }

  @Override
  public Future<FireOutcome> fire(String trigger, JsonObject payload) {
    Future<io.edgewhisk.model.ActivationId> fired;
    try {
      FullyQualifiedName fqn = FullyQualifiedName.parse(Objects.requireNonNull(trigger, "trigger"), null);
      if (fqn.pkg() != null || "_".equals(fqn.namespace())) {
        throw WhiskException.badRequest("the trigger name '" + trigger + "' is not valid");
      }
      Identity owner = subjects.identityOf(fqn.namespace());
      if (owner == null || subjects.isBlocked(fqn.namespace())) {
        return Future.succeededFuture(FireOutcome.refused(403, WhiskException.forbidden(fqn.toString()).getMessage()));
      }
      fired = activator.fire(owner, fqn, payload == null ? new JsonObject() : payload);
    } catch (RuntimeException e) {
      fired = Future.failedFuture(e);
    }
    return fired.transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(ar.result() == null ? FireOutcome.noActiveRule() : FireOutcome.fired(ar.result().value()));
      }
      WhiskException w = WhiskException.from(ar.cause());
      return Future.succeededFuture(FireOutcome.refused(w.status(), w.getMessage()));
    });
  }
}
