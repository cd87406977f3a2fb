package io.edgewhisk;

import io.edgewhisk.store.sqlite.Database;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.LoggerFactory;

/**
 * The slow steps of a start that need nothing from each other, run beside the main thread's own work:
 * starting logging (SLF4J looks for its provider, logback configures itself) and then preparing SQLite's
 * driver while the configuration is read, and creating Vert.x (its threads, Netty's classes) while the
 * settings are checked and the plugins found. On a two-core gateway the main thread and the JIT compiler
 * leave a core idle for a good part of the start; this fills it.
 */
final class StartupOverlap {
  private final CompletableFuture<Void> logging;
  private CompletableFuture<Vertx> vertx;

  private StartupOverlap(CompletableFuture<Void> logging) {
    this.logging = logging;
  }

  /**
   * Starts logging on a thread of its own, which then prepares SQLite's driver (its native library, its first
   * configuration: {@link Database#prepareDriver}) for the stores that open once the settings are read.
   */
  static StartupOverlap startLogging() {
    CompletableFuture<Void> logging = new CompletableFuture<>();
    thread(() -> {
      try {
        LoggerFactory.getILoggerFactory();
        logging.complete(null);
      } catch (RuntimeException | Error e) {
        logging.completeExceptionally(e);
        return;
      }
      Database.prepareDriver();
    });
    return new StartupOverlap(logging);
  }

  /**
   * Waits until logging has started. Until then a logger asked for on another thread is SLF4J's stand-in and
   * {@code ConsoleLogging.use} would find no logback to switch the format of.
   */
  void awaitLogging() {
    join(logging);
  }

  /** Creates Vert.x on a thread of its own. */
  void startVertx(VertxOptions options) {
    vertx = CompletableFuture.supplyAsync(() -> Vertx.vertx(options), StartupOverlap::thread);
  }

  /** The Vert.x {@link #startVertx} began, once it is made. */
  Vertx vertx() {
    if (vertx == null) {
      throw new IllegalStateException("startVertx was not called");
    }
    return join(vertx);
  }

  /** The start failed before Vert.x was used: closes it once made, so that its threads end. */
  void abandon() {
    if (vertx != null) {
      vertx.thenAccept(Vertx::close);
    }
  }

  private static void thread(Runnable task) {
    Thread t = new Thread(task, "edgewhisk-start");
    t.setDaemon(true);
    t.start();
  }

  private static <T> T join(CompletableFuture<T> step) {
    try {
      return step.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
