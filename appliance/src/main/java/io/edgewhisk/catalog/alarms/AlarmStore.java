package io.edgewhisk.catalog.alarms;

import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.spi.PluginDatabase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The alarm feeds' schedules in the plugin's {@code alarms_schedules} table, so that they survive a restart.
 * Writes go through the core's one writer; {@link #update} names the revision it read, so a scheduler's write
 * after a fire loses to a change its owner made meanwhile.
 */
public final class AlarmStore {

  /** The SQL of this store. */
  private static final class Sql {
    static final String COLUMNS = "trigger_id, namespace, kind, spec, timezone, payload, start_date, stop_date, "
        + "max_triggers, delete_after_fire, config, fire_count, paused, disabled, status_changed, next_fire, revision";
    static final String PUT = "INSERT OR REPLACE INTO alarms_schedules (" + COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String UPDATE = "UPDATE alarms_schedules SET trigger_id = ?, namespace = ?, kind = ?, spec = ?, timezone = ?, "
        + "payload = ?, start_date = ?, stop_date = ?, max_triggers = ?, delete_after_fire = ?, config = ?, "
        + "fire_count = ?, paused = ?, disabled = ?, status_changed = ?, next_fire = ?, revision = ? "
        + "WHERE trigger_id = ? AND revision = ?";
    static final String GET = "SELECT " + COLUMNS + " FROM alarms_schedules WHERE trigger_id = ?";
    static final String ALL = "SELECT " + COLUMNS + " FROM alarms_schedules ORDER BY trigger_id";
    static final String DELETE = "DELETE FROM alarms_schedules WHERE trigger_id = ?";
  }

  private final PluginDatabase db;

  public AlarmStore(PluginDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /** Stores the alarm, replacing any earlier one of the same trigger. */
  public Future<Void> put(Alarm alarm) {
    Objects.requireNonNull(alarm, "alarm");
    return db.write(c -> {
      try (PreparedStatement p = c.prepareStatement(Sql.PUT)) {
        bind(p, alarm);
        p.executeUpdate();
      }
      return null;
    });
  }

  /** Replaces the stored alarm if it is still at {@code expectedRevision}; answers whether it was. */
  public Future<Boolean> update(Alarm alarm, long expectedRevision) {
    Objects.requireNonNull(alarm, "alarm");
    return db.write(c -> {
      try (PreparedStatement p = c.prepareStatement(Sql.UPDATE)) {
        int i = bind(p, alarm);
        p.setString(i++, alarm.trigger().toString());
        p.setLong(i, expectedRevision);
        return p.executeUpdate() == 1;
      }
    });
  }

  /** The trigger's alarm, or null. */
  public Future<Alarm> get(FullyQualifiedName trigger) {
    Objects.requireNonNull(trigger, "trigger");
    return db.read(c -> {
      try (PreparedStatement p = c.prepareStatement(Sql.GET)) {
        p.setString(1, trigger.toString());
        try (ResultSet r = p.executeQuery()) {
          return r.next() ? alarm(r) : null;
        }
      }
    });
  }

  public Future<List<Alarm>> all() {
    return db.read(c -> {
      List<Alarm> out = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement(Sql.ALL); ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(alarm(r));
        }
      }
      return out;
    });
  }

  /** Removes the trigger's alarm; answers whether there was one. */
  public Future<Boolean> delete(FullyQualifiedName trigger) {
    Objects.requireNonNull(trigger, "trigger");
    return db.write(c -> {
      try (PreparedStatement p = c.prepareStatement(Sql.DELETE)) {
        p.setString(1, trigger.toString());
        return p.executeUpdate() == 1;
      }
    });
  }

  private static int bind(PreparedStatement p, Alarm a) throws SQLException {
    int i = 1;
    p.setString(i++, a.trigger().toString());
    p.setString(i++, a.owner());
    p.setString(i++, a.kind().word());
    p.setString(i++, a.spec());
    p.setString(i++, a.timezone());
    p.setString(i++, a.payload().encode());
    setLong(p, i++, a.startDate());
    setLong(p, i++, a.stopDate());
    p.setLong(i++, a.maxTriggers());
    p.setString(i++, a.deleteAfterFire());
    p.setString(i++, a.config().encode());
    p.setLong(i++, a.fireCount());
    p.setBoolean(i++, a.paused());
    p.setString(i++, a.disabled() == null ? null : a.disabled().encode());
    p.setLong(i++, a.statusChanged());
    setLong(p, i++, a.nextFire());
    p.setLong(i++, a.revision());
    return i;
  }

  private static void setLong(PreparedStatement p, int i, Long v) throws SQLException {
    if (v == null) {
      p.setNull(i, Types.INTEGER);
    } else {
      p.setLong(i, v);
    }
  }

  private static Alarm alarm(ResultSet r) throws SQLException {
    String disabled = r.getString(14);
    return new Alarm(
        FullyQualifiedName.parse("/" + r.getString(1), null),
        r.getString(2),
        AlarmKind.fromWord(r.getString(3)),
        r.getString(4),
        r.getString(5),
        new JsonObject(r.getString(6)),
        getLong(r, 7),
        getLong(r, 8),
        r.getLong(9),
        r.getString(10),
        new JsonObject(r.getString(11)),
        r.getLong(12),
        r.getBoolean(13),
        disabled == null ? null : new JsonObject(disabled),
        r.getLong(15),
        getLong(r, 16),
        r.getLong(17));
  }

  private static Long getLong(ResultSet r, int i) throws SQLException {
    long v = r.getLong(i);
    return r.wasNull() ? null : v;
  }
}
