package io.edgewhisk.store.sqlite;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** A real database in a temporary folder, with a Vert.x to answer on, closed after each test. */
public final class StoreFixture implements AutoCloseable {
  public final Vertx vertx;
  public final Database db;

  public StoreFixture(Path dir, StoreConfig config) {
    this.vertx = Vertx.vertx();
    this.db = Database.open(vertx, dir, config);
  }

  public static StoreConfig config() {
    return StoreConfig.defaults();
  }

  /** Waits for the future on the test's thread (not an event loop); rethrows its failure. */
  public static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new AssertionError(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The failure of a future expected to fail. */
  public static Throwable failure(Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }

  @Override
  public void close() {
    db.close();
    await(vertx.close());
  }
}
