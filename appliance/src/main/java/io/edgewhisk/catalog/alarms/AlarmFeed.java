package io.edgewhisk.catalog.alarms;

import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.spi.FeedEvent;
import io.edgewhisk.spi.FeedProvider;
import io.edgewhisk.spi.ServiceFailures;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The provider of one of the feeds {@code /whisk.system/alarms/alarm}, {@code once} and {@code interval}. The core
 * has checked the feed protocol (the authKey owns the trigger, which exists but for a DELETE); this keeps the
 * trigger's schedule in the {@link AlarmStore} and tells the {@link AlarmScheduler}. Bad parameters fail with
 * a 4xx {@link ServiceException} carrying the alarm provider's message, which the feed action answers as
 * {@code {"error": message}}; a store failure fails with a 5xx.
 */
public final class AlarmFeed implements FeedProvider {
  private final AlarmKind kind;
  private final AlarmStore store;
  private final AlarmScheduler scheduler;
  private final AlarmParameters parameters;
  private final Clock clock;

  public AlarmFeed(AlarmKind kind, AlarmStore store, AlarmScheduler scheduler, AlarmsConfig config, Clock clock) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.store = Objects.requireNonNull(store, "store");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.parameters = new AlarmParameters(Objects.requireNonNull(config, "config").limitCronFields());
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The action this provides, e.g. {@code alarms/alarm}. */
  public String action() {
    return kind.builtinName();
  }

  @Override
  public Future<JsonObject> lifecycle(FeedEvent event) {
    return ServiceFailures.of(() -> handle(event));
  }

  private Future<JsonObject> handle(FeedEvent event) {
    FullyQualifiedName trigger = FullyQualifiedName.parse(event.trigger(), null);
    return switch (event.lifecycleEvent()) {
      case "CREATE" -> create(trigger, event.namespace(), event.parameters());
      case "READ" -> read(trigger);
      case "UPDATE" -> update(trigger, event.parameters());
      case "DELETE" -> delete(trigger);
      case "PAUSE" -> pause(trigger, true);
      case "UNPAUSE" -> pause(trigger, false);
      default -> throw WhiskException.badRequest("unsupported lifecycleEvent");
    };
  }

  private Future<JsonObject> create(FullyQualifiedName trigger, String owner, JsonObject args) {
    Alarm alarm = parameters.create(kind, trigger, owner, args, clock.millis());
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
}
