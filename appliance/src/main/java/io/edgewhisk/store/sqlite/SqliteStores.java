package io.edgewhisk.store.sqlite;

import io.edgewhisk.config.ApplianceConfig;
import io.edgewhisk.store.StateBootstrap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Objects;

/**
 * The appliance's state as {@code Main} wires it: the database of the state directory with the three stores
 * on it, the namespaces {@code guest} and {@code whisk.system} ensured. {@link #close} stops the stores'
 * periodic work and closes the database (committing activations still queued).
 */
public record SqliteStores(
    Database database,
    SqliteEntityStore entities,
    SqliteActivationStore activations,
    SqliteSubjectStore subjects) implements AutoCloseable {

  public SqliteStores {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(entities, "entities");
    Objects.requireNonNull(activations, "activations");
    Objects.requireNonNull(subjects, "subjects");
  }

  /** Opens everything off the event loop, then runs {@link StateBootstrap}. */
  public static Future<SqliteStores> open(Vertx vertx, ApplianceConfig config) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(config, "config");
    StoreConfig store = StoreConfig.from(config.raw().getConfig("edgewhisk.store"));
    return vertx.executeBlocking(() -> Database.open(vertx, config.stateDir(), store), false)
        .compose(db -> SqliteSubjectStore.open(db, config.namespaceDefaults(), store.subjectRefreshInterval())
            .map(subjects -> new SqliteStores(db, new SqliteEntityStore(db), new SqliteActivationStore(db, store), subjects))
            .onFailure(e -> db.close()))
        .compose(stores -> new StateBootstrap(vertx, stores.subjects(), config.stateDir(), config.dev()).run()
            .map(guest -> stores)
            .onFailure(e -> stores.close()));
  }

  /** Blocks until queued writes are committed: call it off the event loop. */
  @Override
  public void close() {
    activations.close();
    subjects.close();
    database.close();
  }
}
