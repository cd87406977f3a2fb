package io.edgewhisk.catalog.alarms;

import io.edgewhisk.model.FullyQualifiedName;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * One trigger's alarm, as stored: what fires it ({@code kind} and {@code spec}: a cron pattern, the minutes
 * of an interval, or the epoch ms of a fire-once date), the payload it fires with, its bounds, how often it
 * has fired, and its status. {@code config} is the configuration as the user gave it, which READ answers.
 * {@code disabled} is the reason OpenWhisk's provider gives for an alarm it stopped ({@code kind},
 * {@code statusCode}, {@code message}), or null. {@code nextFire} (epoch ms) is null when nothing is due.
 * {@code revision} grows with each change a user makes, so that the scheduler's write after a fire cannot
 * undo it.
 */
public record Alarm(
    FullyQualifiedName trigger,
    String owner,
    AlarmKind kind,
    String spec,
    String timezone,
    JsonObject payload,
    Long startDate,
    Long stopDate,
    long maxTriggers,
    String deleteAfterFire,
    JsonObject config,
    long fireCount,
    boolean paused,
    JsonObject disabled,
    long statusChanged,
    Long nextFire,
    long revision) {

  public static final long UNLIMITED = -1;

  public Alarm {
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(deleteAfterFire, "deleteAfterFire");
    Objects.requireNonNull(config, "config");
  }

  /** Firing: neither paused by its owner nor stopped by the scheduler. */
  public boolean active() {
    return !paused && disabled == null;
  }

  public ZoneId zone() {
    return timezone == null ? java.time.ZoneOffset.UTC : ZoneId.of(timezone);
  }

  /**
   * The first fire strictly after {@code after} (epoch ms) that the schedule and its start and stop dates
   * allow, or null when there is none. Pure: the scheduler and the feed both use it.
   */
  public Long nextFireAfter(long after) {
    Long next = switch (kind) {
      case ONCE -> {
        long date = Long.parseLong(spec);
        yield date > after ? date : null;
      }
      case INTERVAL -> {
        long every = Long.parseLong(spec) * 60_000L;
        long start = startDate == null ? after + 1 : startDate;
        yield after < start ? start : start + ((after - start) / every + 1) * every;
      }
      case CRON -> {
        long from = startDate != null && startDate - 1 > after ? startDate - 1 : after;
        Instant n = CronSchedule.parse(spec).next(Instant.ofEpochMilli(from), zone());
        yield n == null ? null : n.toEpochMilli();
      }
    };
    return next != null && stopDate != null && next > stopDate ? null : next;
  }

  public Alarm withStatus(long fireCount, boolean paused, JsonObject disabled, long statusChanged, Long nextFire,
      long revision) {
    return new Alarm(trigger, owner, kind, spec, timezone, payload, startDate, stopDate, maxTriggers, deleteAfterFire,
        config, fireCount, paused, disabled, statusChanged, nextFire, revision);
  }

  /** A copy stopped by the scheduler for {@code message} (OpenWhisk's {@code AUTO} reason). */
  public Alarm disabledFor(Integer statusCode, String message, long now) {
    JsonObject reason = new JsonObject().put("kind", "AUTO");
    if (statusCode != null) {
      reason.put("statusCode", statusCode);
    }
    reason.put("message", message);
    return withStatus(fireCount, paused, reason, now, null, revision);
  }
}
