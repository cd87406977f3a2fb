package io.edgewhisk.spi;

import java.sql.Statement;
import java.util.List;
import java.util.Objects;

/**
 * One step of a plugin's schema, on the plugin's own version track (versions 1, 2, … in order). Each runs
 * once, in one immediate transaction on the core's writer, before the plugin starts; a database whose
 * track is ahead of the plugin's migrations is refused. A migration may create or change only tables and
 * indexes whose name starts with {@code <plugin>_}: start-up fails if it leaves another one behind.
 */
public record PluginMigration(int version, String description, SqlWork<Void> work) {
  public PluginMigration {
    if (version < 1) {
      throw new IllegalArgumentException("a migration's version starts at 1");
    }
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(work, "work");
  }

  /** A migration of plain SQL statements, run in order. */
  public static PluginMigration sql(int version, String description, String... statements) {
    List<String> all = List.of(statements);
    return new PluginMigration(version, description, c -> {
      try (Statement s = c.createStatement()) {
        for (String sql : all) {
          s.execute(sql);
        }
      }
      return null;
    });
  }
}
