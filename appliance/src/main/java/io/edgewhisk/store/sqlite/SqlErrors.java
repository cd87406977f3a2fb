package io.edgewhisk.store.sqlite;

import io.edgewhisk.model.WhiskException;
import java.sql.SQLException;

/**
 * The one place where SQLite's failures become {@link WhiskException}s: a busy or locked database (another
 * process held the write lock past the busy timeout) is a 503 the client may retry, anything else a 500.
 * Constraint violations a caller expects are mapped by that caller, with {@link #isConstraintViolation}.
 */
public final class SqlErrors {
  /** SQLite's primary result codes (the low byte of an extended code). */
  static final int SQLITE_BUSY = 5;
  static final int SQLITE_LOCKED = 6;
  static final int SQLITE_CONSTRAINT = 19;

  private SqlErrors() {}

  public static WhiskException translate(Throwable t) {
    if (t instanceof WhiskException w) {
      return w;
    }
    if (t instanceof SQLException e) {
      int code = primaryCode(e);
      if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
        return new WhiskException(503, "The database is busy; try again.", e);
      }
    }
    return WhiskException.internal("An internal error occurred.", t);
  }

  public static boolean isConstraintViolation(SQLException e) {
    return primaryCode(e) == SQLITE_CONSTRAINT;
  }

  private static int primaryCode(SQLException e) {
    return e.getErrorCode() & 0xff;
  }
}
