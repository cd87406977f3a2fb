package io.edgewhisk.catalog.alarms;

import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.WhiskException;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Turns an alarm feed's parameters into an {@link Alarm}, checking them as OpenWhisk's alarm provider does and
 * answering its messages (as a 400 {@link WhiskException}, which the feed turns into an {@code error} result).
 * Dates are epoch ms or ISO 8601 strings; one without an offset is taken as UTC.
 */
final class AlarmParameters {
  /** How far ahead an interval starts when no startDate is given: OpenWhisk's provider waits 30 s too. */
  static final long DEFAULT_INTERVAL_DELAY = 30_000;
  private static final List<String> DELETE_AFTER_FIRE = List.of("false", "true", "rules");

  private final boolean limitCronFields;

  AlarmParameters(boolean limitCronFields) {
    this.limitCronFields = limitCronFields;
  }

  /** The alarm a CREATE makes for {@code trigger}, owned by {@code owner}, as of {@code now}. */
  Alarm create(AlarmKind kind, FullyQualifiedName trigger, String owner, JsonObject args, long now) {
    JsonObject config = new JsonObject();
    String spec;
    String timezone = null;
    Long startDate = null;
    Long stopDate = null;
    long maxTriggers = Alarm.UNLIMITED;
    String deleteAfterFire = "false";
    if (kind == AlarmKind.ONCE) {
      Object date = args.getValue("date");
      if (missing(date)) {
        throw error("alarms once trigger feed is missing the date parameter");
      }
      spec = Long.toString(date(date, "date", null, now));
      config.put("date", date);
      if (!missing(args.getValue("deleteAfterFire"))) {
        deleteAfterFire = deleteAfterFire(args.getValue("deleteAfterFire"));
        config.put("deleteAfterFire", deleteAfterFire);
      }
    } else {
      if (kind == AlarmKind.INTERVAL) {
        if (missing(args.getValue("minutes"))) {
          throw error("interval trigger feed is missing the minutes parameter");
        }
        spec = Long.toString(minutes(args.getValue("minutes")));
        config.put("minutes", Long.parseLong(spec));
      } else {
        if (missing(args.getValue("cron"))) {
          throw error("alarms trigger feed is missing the cron parameter");
        }
        spec = cron(args.getValue("cron")).expression();
        config.put("cron", spec);
        timezone = timezone(args.getValue("timezone"));
        if (timezone != null) {
          config.put("timezone", timezone);
        }
      }
      Object start = args.getValue("startDate");
      if (!missing(start)) {
        startDate = date(start, "startDate", null, now);
        config.put("startDate", start);
      } else if (kind == AlarmKind.INTERVAL) {
        startDate = now + DEFAULT_INTERVAL_DELAY;
        config.put("startDate", startDate);
      }
      Object max = args.getValue("maxTriggers");
      Object stop = args.getValue("stopDate");
      if (!missing(max) && !missing(stop)) {
        throw error(kind == AlarmKind.INTERVAL
            ? "maxTriggers is not supported for the interval trigger feed"
            : "maxTriggers is not allowed when the stopDate parameter is specified");
      } else if (!missing(stop)) {
        stopDate = date(stop, "stopDate", startDate, now);
        config.put("stopDate", stop);
      } else if (!missing(max)) {
        maxTriggers = maxTriggers(max);
        config.put("maxTriggers", maxTriggers);
      }
    }
    Alarm alarm = new Alarm(trigger, owner, kind, spec, timezone, payload(args.getValue("trigger_payload")),
        startDate, stopDate, maxTriggers, deleteAfterFire, config, 0, false, null, now, null, now);
    return withFirstFire(alarm, now);
  }

  /** The alarm after an UPDATE with {@code args}: only what they name changes; it fires afresh. */
  Alarm update(Alarm old, JsonObject args, long now) {
    JsonObject config = old.config().copy();
    JsonObject payload = old.payload();
    String spec = old.spec();
    String timezone = old.timezone();
    Long startDate = old.startDate();
    Long stopDate = old.stopDate();
    String deleteAfterFire = old.deleteAfterFire();
    boolean changed = false;
    if (!missing(args.getValue("trigger_payload"))) {
      payload = payload(args.getValue("trigger_payload"));
      changed = true;
    }
    if (old.kind() == AlarmKind.ONCE) {
      if (!missing(args.getValue("date"))) {
        spec = Long.toString(date(args.getValue("date"), "date", null, now));
        config.put("date", args.getValue("date"));
        changed = true;
      }
      if (!missing(args.getValue("deleteAfterFire"))) {
        deleteAfterFire = deleteAfterFire(args.getValue("deleteAfterFire"));
        config.put("deleteAfterFire", deleteAfterFire);
        changed = true;
      }
    } else {
      if (old.kind() == AlarmKind.INTERVAL && !missing(args.getValue("minutes"))) {
        spec = Long.toString(minutes(args.getValue("minutes")));
        config.put("minutes", Long.parseLong(spec));
        changed = true;
      }
      if (old.kind() == AlarmKind.CRON && !missing(args.getValue("cron"))) {
        spec = cron(args.getValue("cron")).expression();
        config.put("cron", spec);
        changed = true;
      }
      if (old.kind() == AlarmKind.CRON && !missing(args.getValue("timezone"))) {
        timezone = timezone(args.getValue("timezone"));
        config.put("timezone", timezone);
        changed = true;
      }
      Object start = args.getValue("startDate");
      Object stop = args.getValue("stopDate");
      if (!missing(start)) {
        startDate = date(start, "startDate", null, now);
        config.put("startDate", start);
        changed = true;
      }
      if (!missing(stop)) {
        stopDate = date(stop, "stopDate", startDate, now);
        config.put("stopDate", stop);
        changed = true;
      } else if (!missing(start) && stopDate != null && startDate >= stopDate) {
        throw error("startDate parameter '" + start + "' must be less than the stopDate parameter '"
            + config.getValue("stopDate") + "'");
      }
    }
    if (!changed) {
      throw error("no updatable parameters were specified");
    }
    Alarm alarm = new Alarm(old.trigger(), old.owner(), old.kind(), spec, timezone, payload, startDate, stopDate,
        old.maxTriggers(), deleteAfterFire, config, 0, old.paused(), null, now, null, old.revision() + 1);
    return withFirstFire(alarm, now);
  }

  /** The alarm with its first fire set; fails as OpenWhisk does when it would never fire. */
  private static Alarm withFirstFire(Alarm alarm, long now) {
    Long next = alarm.nextFireAfter(now);
    if (next == null) {
      if (alarm.kind() == AlarmKind.CRON && alarm.stopDate() != null) {
        throw error("the first scheduled trigger fire is not until after the stop date");
      }
      if (alarm.kind() == AlarmKind.CRON) {
        throw error("cron pattern '" + alarm.spec() + "' never fires");
      }
      throw error("the next scheduled trigger fire is after the stop date");
    }
    return alarm.withStatus(alarm.fireCount(), alarm.paused(), null, alarm.statusChanged(), next, alarm.revision());
  }

  private CronSchedule cron(Object value) {
    if (!(value instanceof String s)) {
      throw error("cron pattern '" + value + "' is not valid: it must be a string");
    }
    CronSchedule cron;
    try {
      cron = CronSchedule.parse(s);
    } catch (IllegalArgumentException e) {
      throw error("cron pattern '" + s + "' is not valid: " + e.getMessage());
    }
    if (limitCronFields && cron.hasSecondsGranularity()) {
      throw error("cron pattern is limited to 5 fields with 1 minute as the finest granularity");
    }
    return cron;
  }

  private static String timezone(Object value) {
    if (missing(value)) {
      return null;
    }
    try {
      return ZoneId.of(String.valueOf(value)).getId();
    } catch (DateTimeException e) {
      throw error("timezone parameter '" + value + "' is not a valid time zone");
    }
  }

  private static long minutes(Object value) {
    Long m = integer(value);
    if (m == null) {
      throw error("the minutes parameter must be an integer");
    }
    if (m <= 0) {
      throw error("the minutes parameter must be an integer greater than zero");
    }
    return m;
  }

  private static long maxTriggers(Object value) {
    Long m = integer(value);
    if (m == null || m < -1) {
      throw error("the maxTriggers parameter must be an integer, -1 for no limit");
    }
    // OpenWhisk takes 0 as unset, which is no limit
    return m == 0 ? Alarm.UNLIMITED : m;
  }

  private static String deleteAfterFire(Object value) {
    String v = String.valueOf(value).trim().toLowerCase(java.util.Locale.ROOT);
    if (!DELETE_AFTER_FIRE.contains(v)) {
      throw error("deleteAfterFire parameter must be one of [false, true, rules].");
    }
    return v;
  }

  /** OpenWhisk's rule: a string payload becomes {@code {"payload": s}}; an object is the payload itself. */
  private static JsonObject payload(Object value) {
    if (value == null) {
      return new JsonObject();
    }
    if (value instanceof String s) {
      return new JsonObject().put("payload", s);
    }
    if (value instanceof JsonObject o) {
      return o.copy();
    }
    throw error("the trigger_payload parameter must be an object or a string");
  }

  /** A date in the future (and after {@code after}, when given), as epoch ms; OpenWhisk's messages otherwise. */
  private static long date(Object value, String name, Long after, long now) {
    Long ms = epochMillis(value);
    if (ms == null) {
      throw error(name + " parameter '" + value + "' is not a valid Date");
    }
    if (ms <= now) {
      throw error(name + " parameter '" + value + "' must be in the future");
    }
    if (after != null && ms <= after) {
      throw error(name + " parameter '" + value + "' must be greater than the startDate parameter '"
          + Instant.ofEpochMilli(after) + "'");
    }
    return ms;
  }

  static Long epochMillis(Object value) {
    if (value instanceof Number n) {
      Long l = integer(n);
      return l;
    }
    if (!(value instanceof String s)) {
      return null;
    }
    String t = s.trim();
    try {
      return OffsetDateTime.parse(t).toInstant().toEpochMilli();
    } catch (DateTimeException e) {
      // not with an offset; try the forms without one
    }
    try {
      return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeException e) {
      // not a local date-time
    }
    try {
      return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** An integral number, or a string of one; null otherwise. */
  private static Long integer(Object value) {
    try {
      BigDecimal d = value instanceof Number n ? new BigDecimal(n.toString()) : new BigDecimal(String.valueOf(value).trim());
      return d.stripTrailingZeros().scale() <= 0 ? d.longValueExact() : null;
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  private static boolean missing(Object value) {
    return value == null || "".equals(value);
  }

  private static WhiskException error(String message) {
    return WhiskException.badRequest(message);
  }
}
