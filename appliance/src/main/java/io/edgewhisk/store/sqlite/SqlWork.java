package io.edgewhisk.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;

/** Work on a JDBC connection, run by {@link Database} on one of its own threads. */
@FunctionalInterface
public interface SqlWork<T> {
  T run(Connection connection) throws SQLException;

  /** Work inside a transaction that already has its connection. */
  @FunctionalInterface
  interface Body<T> {
    T run() throws SQLException;
  }
}
