package io.edgewhisk.catalog.alarms;

import io.edgewhisk.model.WhiskException;
import io.edgewhisk.spi.EntityDocument;
import io.edgewhisk.spi.EntityService;
import io.edgewhisk.spi.FireOutcome;
import io.edgewhisk.spi.TriggerService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a due alarm does to the rest of the appliance, through the SPI: fire its trigger as the trigger's
 * owner, and for a fire-once alarm with {@code deleteAfterFire}, delete the trigger (and with {@code rules},
 * its rules too).
 */
public final class AlarmFiring {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmFiring.class);

  private final TriggerService triggers;
  private final EntityService entities;

  public AlarmFiring(TriggerService triggers, EntityService entities) {
    this.triggers = Objects.requireNonNull(triggers, "triggers");
    this.entities = Objects.requireNonNull(entities, "entities");
  }

  /**
   * Fires the alarm's trigger with its payload. A refusal fails the future with the REST fire's status and
   * message (the scheduler decides from the status whether to retry); no active rule is a success.
   */
  Future<FireOutcome> fire(Alarm alarm) {
    return triggers.fire(alarm.trigger().absolute(), alarm.payload().copy()).compose(outcome ->
        outcome.kind() == FireOutcome.Kind.REFUSED
            ? Future.failedFuture(new WhiskException(outcome.status(), outcome.message()))
            : Future.succeededFuture(outcome));
  }

  /** Deletes the alarm's trigger, and its rules when {@code deleteAfterFire} is {@code rules}; logs failures. */
  Future<Void> deleteTrigger(Alarm alarm) {
    boolean withRules = "rules".equals(alarm.deleteAfterFire());
    String trigger = alarm.trigger().absolute();
    return entities.get(trigger)
        .compose(doc -> {
          if (doc == null || !"triggers".equals(doc.type())) {
            return Future.succeededFuture();
          }
          List<Future<Boolean>> deletes = new ArrayList<>();
          if (withRules) {
            rulesOf(doc).forEach(rule -> deletes.add(entities.deleteAsOwner(rule)));
          }
          return Future.all(deletes).compose(v -> entities.deleteAsOwner(trigger)).mapEmpty();
        })
        .onSuccess(v -> LOG.info("Deleted trigger {}{} after its fire-once alarm fired", alarm.trigger(),
            withRules ? " and its rules" : ""))
        .onFailure(e -> LOG.warn("Could not delete trigger {} after its fire-once alarm fired: {}", alarm.trigger(),
            e.getMessage()))
        .mapEmpty();
  }

  /** The rules a trigger's document lists ({@code "rules": {"ns/name": {…}}}), as absolute names. */
  private static List<String> rulesOf(EntityDocument trigger) {
    JsonObject rules = trigger.entity().getJsonObject("rules");
    List<String> out = new ArrayList<>();
    if (rules != null) {
      rules.fieldNames().forEach(n -> out.add(n.startsWith("/") ? n : "/" + n));
    }
    return out;
  }
}
