package io.edgewhisk.spi;

import java.sql.Connection;
import java.sql.SQLException;

/** Work on a JDBC connection of the appliance's SQLite database; runs on a database thread, never an event loop. */
@FunctionalInterface
public interface SqlWork<T> {
  T run(Connection connection) throws SQLException;
}
