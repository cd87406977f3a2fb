package io.edgewhisk.cli;

import io.edgewhisk.config.ApplianceConfig;
import io.edgewhisk.store.sqlite.Database;
import io.edgewhisk.store.sqlite.SqliteSubjectStore;
import io.edgewhisk.store.sqlite.StoreConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What an admin command works on: a small Vert.x of its own and the state directory's database, opened
 * beside a running server (SQLite's WAL and busy timeout make that safe).
 */
final class AdminSession implements AutoCloseable {
  private static final long WAIT_SECONDS = 60;

  private final Vertx vertx;
  private final Database db;
  private final SqliteSubjectStore subjects;

  private AdminSession(Vertx vertx, Database db, SqliteSubjectStore subjects) {
    this.vertx = vertx;
    this.db = db;
    this.subjects = subjects;
  }

  static AdminSession open(ApplianceConfig config) {
    StoreConfig store = StoreConfig.from(config.raw().getConfig("edgewhisk.store"));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1));
    Database db = null;
    try {
      db = Database.open(vertx, config.stateDir(), store);
      SqliteSubjectStore subjects = await(SqliteSubjectStore.open(db, config.namespaceDefaults(),
          store.subjectRefreshInterval()));
      return new AdminSession(vertx, db, subjects);
    } catch (RuntimeException e) {
      if (db != null) {
        db.close();
      }
      vertx.close();
      throw e;
    }
  }

  SqliteSubjectStore subjects() {
    return subjects;
  }

  /** Waits for {@code future} (the CLI's thread is not an event loop), rethrowing its failure. */
  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    } catch (TimeoutException e) {
      throw new IllegalStateException("the database did not answer within " + WAIT_SECONDS + " s");
    }
  }

  @Override
  public void close() {
    subjects.close();
    db.close();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // nothing is left to lose: the database is closed
    }
  }
}
