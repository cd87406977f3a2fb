package io.edgewhisk.controller;

import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.ActivationResponse;
import io.edgewhisk.model.EntityType;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.KeyValue;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.Trigger;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.store.EntityStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Records the trigger fires a plugin made (an MQTT message, an alarm) that the namespace's
 * {@code firesPerMinute} refused, so that a refused sensor message shows in the trigger's activations instead
 * of vanishing. The REST fire answers 429 and records nothing, as OpenWhisk does: its caller sees the refusal.
 *
 * <p>A flood of refused fires must not become a flood of records (the throttle exists to protect the gateway),
 * so a trigger gets at most one such record per {@link #WINDOW_MILLIS}; each record carries, in
 * {@code refusedFires}, how many refusals it stands for since the trigger's previous one. Every refusal is
 * also counted in {@code /metrics} ({@code openwhisk_action_limit_timed_total}).
 */
public final class RefusedFires {
  /** At most one refused-fire record per trigger in this many milliseconds. */
  public static final long WINDOW_MILLIS = 1_000;

  private final EntityStore entities;
  private final BiFunction<Activation, Identity, Future<Void>> recorder;
  private final Clock clock;
  private final Map<FullyQualifiedName, Pending> pending = new ConcurrentHashMap<>();

  /** {@code recorder} is {@link ActivationRecorder#record}: append durably, then store. */
  public RefusedFires(EntityStore entities, BiFunction<Activation, Identity, Future<Void>> recorder, Clock clock) {
    this.entities = Objects.requireNonNull(entities, "entities");
    this.recorder = Objects.requireNonNull(recorder, "recorder");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Refusals not yet recorded, and when the trigger's last record was made. */
  private static final class Pending {
    long lastRecordAt = Long.MIN_VALUE / 2;
    long refusals;
  }

  /**
   * Counts one refused fire of {@code trigger} and, unless the trigger had a record within the window,
   * records a trigger activation that says so. Answers the new record's id, or null when this refusal was
   * only counted (it goes into the trigger's next record).
   */
  public Future<ActivationId> refused(Identity who, FullyQualifiedName trigger, JsonObject payload, WhiskException refusal) {
    long now = clock.millis();
    long refusals;
    Pending p = pending.computeIfAbsent(trigger, k -> new Pending());
    synchronized (p) {
      p.refusals++;
      if (now - p.lastRecordAt < WINDOW_MILLIS) {
        return Future.succeededFuture(null);
      }
      p.lastRecordAt = now;
      refusals = p.refusals;
      p.refusals = 0;
    }
    return entities.get(trigger).compose(e -> {
      Trigger t = EntityRules.require(e, EntityType.TRIGGER, trigger.toString());
      ActivationId id = ActivationId.random();
      JsonObject result = new JsonObject().put("error", refusal.getMessage()).put("refusedFires", refusals)
          .put("payload", t.parameters().toObject().mergeIn(payload == null ? new JsonObject() : payload));
      Activation record = Activation.record(who.namespace(), t.fqn().name(), who.subject(), id, now, now, 0, null,
          ActivationResponse.applicationError(result), List.of(),
          new KeyValues(List.of(KeyValue.of("path", t.fqn().toString()), KeyValue.of("refused", refusal.status()))),
          t.version());
      return recorder.apply(record, who).map(id);
    });
  }
}
