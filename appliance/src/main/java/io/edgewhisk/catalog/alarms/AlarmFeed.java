package io.edgewhisk.catalog.alarms;

import io.edgewhisk.controller.BuiltinAction;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.Trigger;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.store.EntityStore;
import io.edgewhisk.store.SubjectStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One of the feed actions {@code /whisk.system/alarms/alarm}, {@code once} and {@code interval}, run inside the
 * appliance. It takes OpenWhisk's feed parameters ({@code lifecycleEvent}, {@code triggerName}, {@code authKey})
 * with the user's, checks that the key's namespace owns the trigger, and keeps the trigger's schedule in the
 * {@link AlarmStore}, telling the {@link AlarmScheduler}. Bad parameters answer {@code {"error": message}} with
 * the alarm provider's messages (an application error); a store failure fails the future.
 */
public final class AlarmFeed implements BuiltinAction {
  private static final String AUTH_FAILED = "Trigger authentication request failed.";

  private final AlarmKind kind;
  private final AlarmStore store;
  private final AlarmScheduler scheduler;
  private final SubjectStore subjects;
  private final EntityStore entities;
  private final AlarmParameters parameters;
  private final Clock clock;

  public AlarmFeed(AlarmKind kind, AlarmStore store, AlarmScheduler scheduler, SubjectStore subjects,
      EntityStore entities, AlarmsConfig config, Clock clock) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.store = Objects.requireNonNull(store, "store");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.subjects = Objects.requireNonNull(subjects, "subjects");
    this.entities = Objects.requireNonNull(entities, "entities");
    this.parameters = new AlarmParameters(Objects.requireNonNull(config, "config").limitCronFields());
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String name() {
    return kind.builtinName();
  }

  /** Runs one lifecycle event; {@code who} (the invoker) need not be the trigger's owner: the authKey decides. */
  @Override
  public Future<JsonObject> run(Identity who, JsonObject args) {
    Future<JsonObject> outcome;
    try {
      outcome = handle(args == null ? new JsonObject() : args);
    } catch (WhiskException e) {
      outcome = Future.failedFuture(e);
    }
    return outcome.recover(t -> t instanceof WhiskException w && w.status() >= 400 && w.status() < 500
        ? Future.succeededFuture(error(w.getMessage()))
        : Future.failedFuture(t));
  }

  private Future<JsonObject> handle(JsonObject args) {
    String event = args.getValue("lifecycleEvent") instanceof String s ? s : null;
    if (!(args.getValue("authKey") instanceof String authKey) || authKey.isEmpty()) {
      throw WhiskException.badRequest("no authKey parameter was provided");
    }
    if (!(args.getValue("triggerName") instanceof String triggerName) || triggerName.isEmpty()) {
      throw WhiskException.badRequest("no trigger name parameter was provided");
    }
    Identity owner = authenticate(authKey);
    FullyQualifiedName trigger = triggerOf(triggerName, owner);
    if (event == null) {
      throw WhiskException.badRequest("unsupported lifecycleEvent");
    }
    return switch (event) {
      case "CREATE" -> requireTrigger(trigger).compose(v -> create(trigger, owner, args));
      case "READ" -> requireTrigger(trigger).compose(v -> read(trigger));
      case "UPDATE" -> requireTrigger(trigger).compose(v -> update(trigger, args));
      case "DELETE" -> delete(trigger);
      case "PAUSE" -> requireTrigger(trigger).compose(v -> pause(trigger, true));
      case "UNPAUSE" -> requireTrigger(trigger).compose(v -> pause(trigger, false));
      default -> throw WhiskException.badRequest("unsupported lifecycleEvent");
    };
  }

  private Identity authenticate(String authKey) {
    int colon = authKey.indexOf(':');
    Identity owner = colon < 0 ? null : subjects.authenticate(authKey.substring(0, colon), authKey.substring(colon + 1));
    if (owner == null) {
      throw new WhiskException(401, AUTH_FAILED);
    }
    return owner;
  }

  /** The trigger named {@code /ns/name}, {@code /_/name} or {@code name}, which the key's namespace must own. */
  private static FullyQualifiedName triggerOf(String triggerName, Identity owner) {
    FullyQualifiedName fqn;
    try {
      fqn = FullyQualifiedName.parse(triggerName, owner.namespace());
    } catch (WhiskException e) {
      throw WhiskException.badRequest("the trigger name '" + triggerName + "' is not valid");
    }
    if (fqn.pkg() != null) {
      throw WhiskException.badRequest("the trigger name '" + triggerName + "' is not valid");
    }
    if ("_".equals(fqn.namespace())) {
      fqn = FullyQualifiedName.of(owner.namespace(), fqn.name());
    }
    if (!fqn.namespace().equals(owner.namespace())) {
      throw new WhiskException(403, AUTH_FAILED);
    }
    return fqn;
  }

  /** OpenWhisk's provider reads the trigger with the authKey before any change but a delete. */
  private Future<Void> requireTrigger(FullyQualifiedName trigger) {
    return entities.get(trigger).compose(e -> e instanceof Trigger
        ? Future.succeededFuture()
        : Future.failedFuture(new WhiskException(404, AUTH_FAILED)));
  }

  private Future<JsonObject> create(FullyQualifiedName trigger, Identity owner, JsonObject args) {
    Alarm alarm = parameters.create(kind, trigger, owner.namespace(), args, clock.millis());
    return store.put(alarm).compose(v -> scheduler.refresh(trigger)).map(v -> success());
  }

  private Future<JsonObject> read(FullyQualifiedName trigger) {
    return stored(trigger).map(a -> {
      JsonObject config = new JsonObject()
          .put("name", trigger.name())
          .put("namespace", trigger.namespace())
          .put("payload", a.payload());
      a.config().forEach(e -> config.put(e.getKey(), e.getValue()));
      JsonObject status = new JsonObject()
          .put("active", a.active())
          .put("dateChanged", a.statusChanged())
          .put("dateChangedISO", Instant.ofEpochMilli(a.statusChanged()).truncatedTo(ChronoUnit.SECONDS).toString());
      if (a.disabled() != null) {
        status.put("reason", a.disabled());
      } else if (a.paused()) {
        status.put("reason", new JsonObject().put("kind", "USER").put("message", "Paused by its owner"));
      }
      return new JsonObject().put("config", config).put("status", status);
    });
  }

  private Future<JsonObject> update(FullyQualifiedName trigger, JsonObject args) {
    return stored(trigger).compose(old -> {
      Alarm updated = parameters.update(old, args, clock.millis());
      return changed(updated, old);
    });
  }

  private Future<JsonObject> delete(FullyQualifiedName trigger) {
    return store.delete(trigger).compose(found -> found
        ? scheduler.refresh(trigger).map(v -> success())
        : Future.failedFuture(notFound(trigger)));
  }

  private Future<JsonObject> pause(FullyQualifiedName trigger, boolean paused) {
    return stored(trigger).compose(old -> {
      long now = clock.millis();
      Alarm updated;
      if (paused) {
        updated = old.withStatus(old.fireCount(), true, old.disabled(), now, old.nextFire(), old.revision() + 1);
      } else {
        Long next = old.nextFireAfter(now);
        updated = old.withStatus(old.fireCount(), false, old.disabled(), now, next, old.revision() + 1);
        if (next == null && old.disabled() == null) {
          updated = updated.disabledFor(null, "Automatically disabled after receiving error on trigger initialization: "
              + (old.kind() == AlarmKind.ONCE ? "the fire once date has expired" : "the stop date has expired"), now);
        }
      }
      return changed(updated, old);
    });
  }

  private Future<JsonObject> changed(Alarm updated, Alarm old) {
    return store.update(updated, old.revision()).compose(written -> written
        ? scheduler.refresh(updated.trigger()).map(v -> success())
        : Future.failedFuture(new WhiskException(409, "the alarm of " + old.trigger().absolute()
            + " changed meanwhile; try again")));
  }

  private Future<Alarm> stored(FullyQualifiedName trigger) {
    return store.get(trigger).compose(a -> a == null ? Future.failedFuture(notFound(trigger)) : Future.succeededFuture(a));
  }

  private static WhiskException notFound(FullyQualifiedName trigger) {
    return new WhiskException(404, "could not find the alarm of trigger " + trigger.absolute());
  }

  private static JsonObject success() {
    return new JsonObject().put("status", "success");
  }

  private static JsonObject error(String message) {
    return new JsonObject().put("error", message);
  }
}
