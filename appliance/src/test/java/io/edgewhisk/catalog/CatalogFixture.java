package io.edgewhisk.catalog;

import io.edgewhisk.config.ApplianceConfig;
import io.edgewhisk.config.ConfigLoader;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.SemVer;
import io.edgewhisk.model.Trigger;
import io.edgewhisk.store.EntityChange;
import io.edgewhisk.store.StateBootstrap;
import io.edgewhisk.store.sqlite.SqliteStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Real SQLite stores in a temporary state directory, with a Vert.x, for the catalog's tests. */
public final class CatalogFixture implements AutoCloseable {
  public final Vertx vertx;
  public final ApplianceConfig config;
  public SqliteStores stores;

  public CatalogFixture(Path stateDir) {
    this.vertx = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    this.config = ConfigLoader.applianceConfig(null, stateDir);
    this.stores = await(SqliteStores.open(vertx, config));
  }

  /** Closes and opens the stores again, as a restart of the appliance does. */
  public void reopen() {
    stores.close();
    stores = await(SqliteStores.open(vertx, config));
  }

  public Identity guest() {
    return stores.subjects().identityOf(StateBootstrap.GUEST);
  }

  /** Creates a trigger in guest's namespace and answers its name. */
  public FullyQualifiedName trigger(String name) {
    FullyQualifiedName fqn = FullyQualifiedName.of(StateBootstrap.GUEST, name);
    Trigger t = new Trigger(fqn, SemVer.INITIAL, false, KeyValues.EMPTY, KeyValues.EMPTY, Map.of(), 1);
    await(stores.entities().apply(List.of(new EntityChange.Create(t))));
    return fqn;
  }

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

  /** Waits up to {@code millis} for the condition; answers whether it came true. */
  public static boolean within(long millis, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  @Override
  public void close() {
    if (stores != null) {
      stores.close();
    }
    await(vertx.close());
  }
}
