package io.edgewhisk.plugin;

import io.edgewhisk.spi.PluginDatabase;
import io.edgewhisk.spi.SqlWork;
import io.edgewhisk.store.sqlite.Database;
import io.vertx.core.Future;
import java.util.Objects;

/** A plugin's {@link PluginDatabase}: the appliance's database, its writer and read pool. */
final class PluginTables implements PluginDatabase {
  private final Database database;

  PluginTables(Database database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  @Override
  public <T> Future<T> write(SqlWork<T> work) {
    Objects.requireNonNull(work, "work");
    return database.write(work::run);
  }

  @Override
  public <T> Future<T> read(SqlWork<T> work) {
    Objects.requireNonNull(work, "work");
    return database.read(work::run);
  }
}
