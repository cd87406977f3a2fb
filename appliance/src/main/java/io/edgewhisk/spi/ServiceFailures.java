package io.edgewhisk.spi;

import io.edgewhisk.model.WhiskException;
import io.vertx.core.Future;
import io.vertx.serviceproxy.ServiceException;
import java.util.function.Supplier;

/**
 * Failures of a service bound on the event bus as its client sees them: a {@link ServiceException} whose
 * {@code failureCode} is the HTTP status and whose message is OpenWhisk's (a service proxy carries only those
 * two across the bus). The core's services answer through it, and so does a plugin's {@link FeedProvider}.
 */
public final class ServiceFailures {
  private ServiceFailures() {}

  /** The outcome, with a failure other than a {@link ServiceException} turned into one. */
  public static <T> Future<T> of(Future<T> outcome) {
    return outcome.recover(t -> {
      if (t instanceof ServiceException) {
        return Future.failedFuture(t);
      }
      WhiskException w = WhiskException.from(t);
      return Future.failedFuture(new ServiceException(w.status(), w.getMessage()));
    });
  }

  /** The work's outcome, as {@link #of(Future)}; an exception the work throws is a failure too. */
  public static <T> Future<T> of(Supplier<Future<T>> work) {
    Future<T> outcome;
    try {
      outcome = work.get();
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    return of(outcome);
  }
}
