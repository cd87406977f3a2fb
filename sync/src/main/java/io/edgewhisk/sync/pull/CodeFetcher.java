package io.edgewhisk.sync.pull;

import io.edgewhisk.sync.couch.CouchClient;
import io.edgewhisk.sync.couch.CouchException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Objects;

/**
 * Fetches an action's code attachment. OpenWhisk writes the document first and the attachment in a second
 * revision, so the first revision can name an attachment that is not there yet: a 404 is tried again a
 * few times, the wait doubling, before the document is reported (its next revision comes through the feed).
 */
public final class CodeFetcher {
  private final Vertx vertx;
  private final CouchClient couch;
  private final String db;
  private final int attempts;
  private final long firstDelayMs;

  public CodeFetcher(Vertx vertx, CouchClient couch, String db, int attempts, long firstDelayMs) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.couch = Objects.requireNonNull(couch, "couch");
    this.db = Objects.requireNonNull(db, "db");
    this.attempts = attempts;
    this.firstDelayMs = firstDelayMs;
  }

  public Future<byte[]> fetch(String docId, String attachment) {
    return fetch(docId, attachment, 1, firstDelayMs);
  }

  private Future<byte[]> fetch(String docId, String attachment, int attempt, long delay) {
    return couch.attachment(db, docId, attachment).map(b -> b.getBytes()).recover(e -> {
      if (e instanceof CouchException c && c.isNotFound() && attempt < attempts) {
        return vertx.timer(delay).compose(t -> fetch(docId, attachment, attempt + 1, delay * 2));
      }
      if (e instanceof CouchException c && c.isNotFound()) {
        return Future.failedFuture(new CouchException(404, "missing_attachment",
            "the code attachment '" + attachment + "' is not there after " + attempts + " attempts"));
      }
      return Future.failedFuture(e);
    });
  }
}
