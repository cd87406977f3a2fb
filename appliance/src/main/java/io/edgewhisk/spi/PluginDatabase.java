package io.edgewhisk.spi;

import io.vertx.core.Future;

/**
 * The plugin's tables in the appliance's SQLite database (WAL mode). Writes run one at a time, each in its
 * own immediate transaction, on the core's single writer thread (shared with the core's writes, so keep them
 * short); reads run on the read pool in a consistent snapshot. The futures complete on the caller's
 * context; nothing blocks an event loop. Use only tables named {@code <plugin>_…} that the plugin's
 * {@link PluginMigration}s made. An {@link io.edgewhisk.model.WhiskException} thrown by the work rolls back
 * and fails the future as it is.
 */
public interface PluginDatabase {
  <T> Future<T> write(SqlWork<T> work);

  <T> Future<T> read(SqlWork<T> work);
}
