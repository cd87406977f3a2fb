package io.edgewhisk.plugin;

import io.edgewhisk.model.WhiskException;
import io.vertx.core.Future;
import io.vertx.serviceproxy.ServiceException;

/**
 * Failures of the core's bus services as a plugin's client sees them: a {@link ServiceException} whose
 * {@code failureCode} is the HTTP status and whose message is OpenWhisk's (a service proxy carries only
 * those two across the bus).
 */
public final class BusFailures {
  private BusFailures() {}

  public static <T> Future<T> of(Future<T> outcome) {
    return outcome.recover(t -> {
      if (t instanceof ServiceException) {
        return Future.failedFuture(t);
      }
      WhiskException w = WhiskException.from(t);
      return Future.failedFuture(new ServiceException(w.status(), w.getMessage()));
    });
  }
}
