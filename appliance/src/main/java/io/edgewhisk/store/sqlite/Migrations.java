package io.edgewhisk.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a database's schema up to the version this build knows. The migrations are the resources named,
 * in order, by {@code db/migration/index} ({@code V1__initial.sql}, …); the versions applied are recorded in
 * {@code schema_version}. A database whose version is newer than any known here was written by a newer
 * EdgeWhisk, and is refused rather than misread.
 */
final class Migrations {
  static final String DIRECTORY = "db/migration/";

  /** The SQL of the version bookkeeping. */
  private static final class Sql {
    static final String CREATE = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
        + "file TEXT NOT NULL, applied INTEGER NOT NULL)";
    static final String RECORD = "INSERT INTO schema_version (version, file, applied) VALUES (?, ?, ?)";
    static final String CURRENT = "SELECT max(version) FROM schema_version";
  }

  private Migrations() {}

  /** A migration: its version, file name and statements. */
  record Migration(int version, String file, List<String> statements) {}

  /** The migrations on the classpath, in version order. */
  static List<Migration> known() {
    List<Migration> out = new ArrayList<>();
    for (String line : resource(DIRECTORY + "index").split("\n")) {
      String file = line.strip();
      if (file.isEmpty() || file.startsWith("#")) {
        continue;
      }
      int version = versionOf(file);
      if (version != out.size() + 1) {
        throw new IllegalStateException("migration " + file + " is out of order in " + DIRECTORY + "index");
      }
      out.add(new Migration(version, file, statements(resource(DIRECTORY + file))));
    }
    return List.copyOf(out);
  }

  /**
   * Applies what is missing, each migration in its own immediate transaction so that two processes starting
   * at once (the server and the admin CLI) do not both apply it. Returns the schema version afterwards.
   */
  static int apply(Connection c, String databaseName) throws SQLException {
    List<Migration> known = known();
    try (Statement s = c.createStatement()) {
      s.execute(Sql.CREATE);
    }
    for (Migration m : known) {
      Transactions.inImmediate(c, () -> {
        int current = current(c);
        refuseNewer(current, known.size(), databaseName);
        if (current < m.version()) {
          try (Statement s = c.createStatement()) {
            for (String sql : m.statements()) {
              s.execute(sql);
            }
          }
          try (PreparedStatement p = c.prepareStatement(Sql.RECORD)) {
            p.setInt(1, m.version());
            p.setString(2, m.file());
            p.setLong(3, System.currentTimeMillis());
            p.executeUpdate();
          }
        }
        return null;
      });
    }
    int current = current(c);
    refuseNewer(current, known.size(), databaseName);
    return current;
  }

  static int current(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(Sql.CURRENT)) {
      return r.next() ? r.getInt(1) : 0;
    }
  }

  private static void refuseNewer(int current, int known, String databaseName) {
    if (current > known) {
      throw new IllegalStateException("The database " + databaseName + " has schema version " + current
          + " but this EdgeWhisk knows versions up to " + known + ": it was written by a newer EdgeWhisk. "
          + "Run that release, or restore a backup made with this one.");
    }
  }

  /**
   * Splits a script into statements at a {@code ;} that ends a line, keeping a {@code CREATE TRIGGER} whole
   * up to its {@code END;}. Lines that are only a {@code --} comment are dropped.
   */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      boolean inTrigger = current.toString().stripLeading().toUpperCase().startsWith("CREATE TRIGGER");
      if (t.endsWith(";") && (!inTrigger || t.equalsIgnoreCase("END;"))) {
        out.add(current.toString().strip());
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalStateException("migration script ends without ';': " + current);
    }
    return out;
  }

  private static int versionOf(String file) {
    int sep = file.indexOf("__");
    if (!file.startsWith("V") || sep < 2 || !file.endsWith(".sql")) {
      throw new IllegalStateException("migration file name must be V<n>__<what>.sql: " + file);
    }
    return Integer.parseInt(file.substring(1, sep));
  }

  private static String resource(String name) {
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
