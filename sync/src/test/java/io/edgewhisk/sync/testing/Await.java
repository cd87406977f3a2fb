package io.edgewhisk.sync.testing;

import io.edgewhisk.sync.couch.CouchException;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting on futures and conditions from a test thread, with a bound. */
public final class Await {
  private Await() {}

  public static <T> T result(Future<T> f) {
    return result(f, Duration.ofSeconds(60));
  }

  public static <T> T result(Future<T> f, Duration within) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new AssertionError(e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within " + within);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * The result of a CouchDB request, asked again while the server does not answer (a busy pouchdb-server
   * now and then accepts a request and stays silent until the client's timeout); any other failure fails.
   */
  public static <T> T answered(String what, Duration within, Supplier<Future<T>> request) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        return result(request.get());
      } catch (CouchException e) {
        if (!e.isTransient() || System.nanoTime() > deadline) {
          throw new AssertionError("no answer within " + within.toSeconds() + " s: " + what + ": " + e.getMessage(), e);
        }
        ChildServer.sleep(50);
      }
    }
  }

  /** The failure of a future that must fail. */
  public static Throwable failure(Future<?> f) {
    try {
      Object r = result(f);
      throw new AssertionError("expected a failure, got " + r);
    } catch (RuntimeException e) {
      return e;
    }
  }

  public static void until(String what, Duration within, BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within.toSeconds() + " s: " + what);
      }
      ChildServer.sleep(50);
    }
  }
}
