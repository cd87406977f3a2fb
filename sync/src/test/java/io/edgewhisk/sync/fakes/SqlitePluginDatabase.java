package io.edgewhisk.sync.fakes;

import io.edgewhisk.spi.PluginDatabase;
import io.edgewhisk.spi.PluginMigration;
import io.edgewhisk.spi.SqlWork;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/**
 * The SPI's database over a real SQLite file, as the core gives it: one connection, each piece of work in
 * its own transaction on a worker thread, never on an event loop. The plugin's migrations run at creation.
 */
public final class SqlitePluginDatabase implements PluginDatabase, AutoCloseable {
  private final Vertx vertx;
  private final Connection connection;

  public SqlitePluginDatabase(Vertx vertx, Path file, List<PluginMigration> migrations) {
    this.vertx = vertx;
    try {
      connection = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (var s = connection.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY)");
      }
      for (PluginMigration m : migrations) {
        boolean done;
        try (var s = connection.prepareStatement("SELECT 1 FROM migrations WHERE version = ?")) {
          s.setInt(1, m.version());
          done = s.executeQuery().next();
        }
        if (!done) {
          run(m.work());
          run(c -> {
            try (var s = c.prepareStatement("INSERT INTO migrations VALUES (?)")) {
              s.setInt(1, m.version());
              s.executeUpdate();
            }
            return null;
          });
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private synchronized <T> T run(SqlWork<T> work) throws SQLException {
    connection.setAutoCommit(false);
    try {
      T r = work.run(connection);
      connection.commit();
      return r;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  @Override
  public <T> Future<T> write(SqlWork<T> work) {
    return vertx.executeBlocking(() -> run(work), true);
  }

  @Override
  public <T> Future<T> read(SqlWork<T> work) {
    return vertx.executeBlocking(() -> run(work), true);
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
