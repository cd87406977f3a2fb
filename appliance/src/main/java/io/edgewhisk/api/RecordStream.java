package io.edgewhisk.api;

import io.edgewhisk.model.ActivationId;
import io.edgewhisk.store.ActivationStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer to a list of activations with {@code docs=true}: a JSON array written as a chunked response,
 * one stored document read and written at a time and the next read only once the client has taken the
 * last, so that a page of 200 records with 10 MB of logs each never sits on the heap at once.
 */
final class RecordStream {
  private static final Logger LOG = LoggerFactory.getLogger(RecordStream.class);
  private static final Buffer OPEN = Buffer.buffer("[");
  private static final Buffer COMMA = Buffer.buffer(",");
  private static final Buffer CLOSE = Buffer.buffer("]");

  private final RoutingContext ctx;
  private final ActivationStore store;
  private final String namespace;
  private final Iterator<ActivationId> ids;
  private boolean first = true;

  private RecordStream(RoutingContext ctx, ActivationStore store, String namespace, List<ActivationId> ids) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.store = Objects.requireNonNull(store, "store");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.ids = List.copyOf(ids).iterator();
  }

  /** Answers the records of {@code ids} (as listed, newest first); a record removed meanwhile is left out. */
  static void answer(RoutingContext ctx, ActivationStore store, String namespace, Future<List<ActivationId>> ids) {
    ids.onFailure(ctx::fail).onSuccess(list -> {
      HttpServerResponse r = ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").setChunked(true);
      r.write(OPEN);
      new RecordStream(ctx, store, namespace, list).next();
    });
  }

  private void next() {
    HttpServerResponse r = ctx.response();
    if (r.closed()) {
      return;
    }
    if (!ids.hasNext()) {
      r.end(CLOSE);
      return;
    }
    ActivationId id = ids.next();
    store.document(namespace, id).onComplete(ar -> {
      if (ar.failed()) {
        // the status and part of the array are sent: all that is left is to break the answer off
        LOG.warn("listing activations of {} failed at {}: {}", namespace, id, ar.cause().toString());
        r.reset();
        return;
      }
      if (ar.result() != null) {
        if (!first) {
          r.write(COMMA);
        }
        first = false;
        r.write(ar.result());
      }
      if (r.writeQueueFull()) {
        r.drainHandler(v -> next());
      } else {
        next();
      }
    });
  }
}
