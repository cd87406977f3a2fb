package io.edgewhisk.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives every request a transaction id, as OpenWhisk does: 32 alphanumerics, answered in
 * {@code X-Request-ID} and in the {@code code} of every error.
 */
final class TransactionIds implements Handler<RoutingContext> {
  static final String KEY = "edgewhisk.tid";
  private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

  @Override
  public void handle(RoutingContext ctx) {
    String tid = next();
    ctx.put(KEY, tid);
    ctx.response().putHeader("X-Request-ID", tid);
    ctx.next();
  }

  static String of(RoutingContext ctx) {
    String tid = ctx.get(KEY);
    return tid != null ? tid : next();
  }

  static String next() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    char[] c = new char[32];
    for (int i = 0; i < c.length; i++) {
      c[i] = ALPHABET[r.nextInt(ALPHABET.length)];
    }
    return new String(c);
  }
}
