package io.edgewhisk.catalog.alarms;

import io.edgewhisk.spi.PluginMigration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The alarms plugin's schema. Version 1 takes over the table that the core's own migration 2 made before the
 * feed became a plugin ({@code alarms}, renamed with its index and every alarm in it), or creates it.
 */
final class AlarmMigrations {
  private static final String CREATE = """
      CREATE TABLE alarms_schedules (
        trigger_id TEXT PRIMARY KEY NOT NULL,
        namespace TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('cron', 'once', 'interval')),
        spec TEXT NOT NULL,
        timezone TEXT,
        payload TEXT NOT NULL,
        start_date INTEGER,
        stop_date INTEGER,
        max_triggers INTEGER NOT NULL DEFAULT -1,
        delete_after_fire TEXT NOT NULL DEFAULT 'false',
        config TEXT NOT NULL,
        fire_count INTEGER NOT NULL DEFAULT 0,
        paused INTEGER NOT NULL DEFAULT 0,
        disabled TEXT,
        status_changed INTEGER NOT NULL,
        next_fire INTEGER,
        revision INTEGER NOT NULL
      )""";

  private AlarmMigrations() {}

  static List<PluginMigration> all() {
    return List.of(new PluginMigration(1, "alarm schedules (taking over the core's former alarms table)",
        AlarmMigrations::takeOverOrCreate));
  }

  private static Void takeOverOrCreate(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      if (exists(c, "alarms")) {
        s.execute("ALTER TABLE alarms RENAME TO alarms_schedules");
        s.execute("DROP INDEX IF EXISTS alarms_by_namespace");
      } else {
        s.execute(CREATE);
      }
      s.execute("CREATE INDEX alarms_schedules_by_namespace ON alarms_schedules (namespace)");
    }
    return null;
  }

  private static boolean exists(Connection c, String table) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      p.setString(1, table);
      try (ResultSet r = p.executeQuery()) {
        return r.next();
      }
    }
  }
}
