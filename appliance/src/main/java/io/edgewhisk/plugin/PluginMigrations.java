package io.edgewhisk.plugin;

import io.edgewhisk.spi.PluginMigration;
import io.edgewhisk.store.sqlite.Database;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Brings a plugin's tables up to date: each {@link PluginMigration} not yet recorded in
 * {@code plugin_schema_version} for the plugin runs in its own immediate transaction on the core's writer. A
 * migration that leaves a table or index not named {@code <plugin>_…} is rolled back and stops start-up, as
 * does a database whose track is ahead of the plugin's migrations (written by a newer plugin).
 */
final class PluginMigrations {
  private static final String CURRENT = "SELECT coalesce(max(version), 0) FROM plugin_schema_version WHERE plugin = ?";
  private static final String RECORD =
      "INSERT INTO plugin_schema_version (plugin, version, description, applied) VALUES (?, ?, ?, ?)";
  private static final String SCHEMA_NAMES = "SELECT name FROM sqlite_master WHERE type IN ('table', 'index', 'view', "
      + "'trigger') AND name NOT LIKE 'sqlite_%'";

  private PluginMigrations() {}

  /** Applies what is missing, in order; completes with the plugin's schema version afterwards. */
  static Future<Integer> apply(Database database, String plugin, List<PluginMigration> migrations) {
    for (int i = 0; i < migrations.size(); i++) {
      if (migrations.get(i).version() != i + 1) {
        return Future.failedFuture(new IllegalStateException("plugin " + plugin + ": migration "
            + migrations.get(i).version() + " is out of order (expected " + (i + 1) + ")"));
      }
    }
    Future<Integer> chain = database.read(c -> current(c, plugin)).compose(v -> refuseNewer(plugin, v, migrations.size()));
    for (PluginMigration m : migrations) {
      chain = chain.compose(v -> database.write(c -> step(c, plugin, m)));
    }
    return chain.compose(v -> database.read(c -> current(c, plugin)));
  }

  /** Runs on the writer inside one transaction: applies {@code m} unless already there. */
  private static Integer step(Connection c, String plugin, PluginMigration m) throws SQLException {
    int current = current(c, plugin);
    if (current >= m.version()) {
      return current;
    }
    Set<String> before = names(c);
    m.work().run(c);
    Set<String> after = names(c);
    after.removeAll(before);
    for (String name : after) {
      if (!name.startsWith(plugin + "_")) {
        throw new IllegalStateException("plugin " + plugin + ": migration " + m.version() + " (" + m.description()
            + ") made '" + name + "', but a plugin's tables and indexes must be named " + plugin + "_…");
      }
    }
    try (PreparedStatement p = c.prepareStatement(RECORD)) {
      p.setString(1, plugin);
      p.setInt(2, m.version());
      p.setString(3, m.description());
      p.setLong(4, System.currentTimeMillis());
      p.executeUpdate();
    }
    return m.version();
  }

  private static Future<Integer> refuseNewer(String plugin, int current, int known) {
    if (current > known) {
      return Future.failedFuture(new IllegalStateException("plugin " + plugin + "'s tables have schema version "
          + current + " but this plugin knows versions up to " + known + ": they were written by a newer release"));
    }
    return Future.succeededFuture(current);
  }

  private static int current(Connection c, String plugin) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(CURRENT)) {
      p.setString(1, plugin);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? r.getInt(1) : 0;
      }
    }
  }

  private static Set<String> names(Connection c) throws SQLException {
    Set<String> out = new HashSet<>();
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(SCHEMA_NAMES)) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }
}
