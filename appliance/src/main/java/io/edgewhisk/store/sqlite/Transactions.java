package io.edgewhisk.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Explicit transactions on a connection left in auto-commit mode. The driver's own transaction handling
 * would keep a transaction open between commits, holding SQLite's write lock against the admin CLI; these
 * take the lock only for the length of one unit of work.
 */
final class Transactions {
  private Transactions() {}

  /** Runs {@code work} in {@code BEGIN IMMEDIATE} (the write lock at once, waiting up to the busy timeout). */
  static <T> T inImmediate(Connection c, SqlWork.Body<T> work) throws SQLException {
    return in(c, "BEGIN IMMEDIATE", work);
  }

  /** Runs {@code work} in a deferred (read) transaction: one consistent snapshot. */
  static <T> T inDeferred(Connection c, SqlWork.Body<T> work) throws SQLException {
    return in(c, "BEGIN", work);
  }

  private static <T> T in(Connection c, String begin, SqlWork.Body<T> work) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(begin);
      try {
        T result = work.run();
        s.execute("COMMIT");
        return result;
      } catch (Throwable t) {
        try {
          s.execute("ROLLBACK");
        } catch (SQLException rollback) {
          // SQLite rolls back by itself on some errors (a full disk): then there is nothing left to undo
          t.addSuppressed(rollback);
        }
        throw t;
      }
    }
  }
}
