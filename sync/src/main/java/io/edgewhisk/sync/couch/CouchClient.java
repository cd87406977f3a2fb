package io.edgewhisk.sync.couch;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A non-blocking client of CouchDB's documented HTTP API (databases, documents, {@code _bulk_docs},
 * {@code _changes}, attachments, {@code _local} documents), the one class that touches the HTTP library.
 * Every failure comes back as a {@link CouchException} carrying the status and CouchDB's error.
 *
 * <p>Written to CouchDB's API and checked against pouchdb-server, which differs in: numeric sequences
 * (strings in CouchDB 2+), no {@code _selector} filter on {@code _changes}, {@code 412} for an existing
 * database like CouchDB; neither difference reaches the callers (sequences are opaque {@link ChangeSeq}s).
 */
public final class CouchClient {
  private final CouchEndpoint endpoint;
  private final HttpClientAgent http;
  private final String authorization;
  private final long requestTimeoutMs;

  public CouchClient(Vertx vertx, CouchEndpoint endpoint, Duration requestTimeout, int maxConnections) {
    Objects.requireNonNull(vertx, "vertx");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.requestTimeoutMs = requestTimeout.toMillis();
    this.http = vertx.httpClientBuilder()
        // No Accept-Encoding: a compressing server (pouchdb-server does) buffers a continuous feed's rows.
        .with(new HttpClientOptions().setKeepAlive(true).setConnectTimeout((int) Math.min(requestTimeoutMs, 10_000)))
        .with(new PoolOptions().setHttp1MaxSize(maxConnections))
        .build();
    this.authorization = endpoint.hasCredentials()
        ? "Basic " + Base64.getEncoder().encodeToString(
            (endpoint.username() + ":" + Objects.requireNonNullElse(endpoint.password(), ""))
                .getBytes(StandardCharsets.UTF_8))
        : null;
  }

  public CouchEndpoint endpoint() {
    return endpoint;
  }

  /** The server's welcome document ({@code GET /}): proves the link and the credentials. */
  public Future<JsonObject> welcome() {
    return json(HttpMethod.GET, "/_session", null).recover(e -> json(HttpMethod.GET, "/", null));
  }

  /** Creates a database; one that already exists is fine. */
  public Future<Void> createDatabase(String db) {
    return json(HttpMethod.PUT, "/" + DocId.segment(db), null).<Void>mapEmpty().recover(e ->
        e instanceof CouchException c && c.status() == 412 ? Future.succeededFuture() : Future.failedFuture(e));
  }

  public Future<Void> deleteDatabase(String db) {
    return json(HttpMethod.DELETE, "/" + DocId.segment(db), null).mapEmpty();
  }

  /** {@code GET /db}: fails with 404 when the database is missing. */
  public Future<JsonObject> databaseInfo(String db) {
    return json(HttpMethod.GET, "/" + DocId.segment(db), null);
  }

  /** A document (also {@code _local/…}); fails with a 404 {@link CouchException} when there is none. */
  public Future<JsonObject> get(String db, String id) {
    return json(HttpMethod.GET, docPath(db, id), null);
  }

  /** A document, or null when there is none. */
  public Future<JsonObject> find(String db, String id) {
    return get(db, id).recover(e ->
        e instanceof CouchException c && c.isNotFound() ? Future.succeededFuture() : Future.failedFuture(e));
  }

  /** Writes a document (with its {@code _rev} when it updates one); answers the new revision. */
  public Future<String> put(String db, String id, JsonObject doc) {
    return json(HttpMethod.PUT, docPath(db, id), doc.toBuffer()).map(o -> o.getString("rev"));
  }

  public Future<String> delete(String db, String id, String rev) {
    return json(HttpMethod.DELETE, docPath(db, id) + "?rev=" + DocId.segment(rev), null).map(o -> o.getString("rev"));
  }

  /**
   * {@code POST /db/_bulk_docs}: one result per document, in order. A request-level failure (the server,
   * the link, the credentials) fails the future; a per-document failure is a result with an error.
   */
  public Future<List<BulkResult>> bulkDocs(String db, JsonArray docs) {
    Buffer body = new JsonObject().put("docs", docs).toBuffer();
    return bounded(request(HttpMethod.POST, "/" + DocId.segment(db) + "/_bulk_docs", body, "application/json", requestTimeoutMs))
        .map(b -> {
          JsonArray rows = parse(b, JsonArray::new);
          List<BulkResult> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(BulkResult.fromJson((JsonObject) r)));
          return out;
        });
  }

  /**
   * A normal or longpoll {@code _changes} request. With a heartbeat the connection is idle at most one
   * heartbeat long, so silence beyond twice that is a dead link.
   */
  public Future<ChangesBatch> changes(String db, ChangesQuery q) {
    return changes(db, q, () -> {});
  }

  /**
   * Like {@link #changes(String, ChangesQuery)}; {@code answering} runs when the server's answer begins
   * (a longpoll that waits for a change has answered: the link works).
   */
  public Future<ChangesBatch> changes(String db, ChangesQuery q, Runnable answering) {
    if (q.feed() == ChangesQuery.Feed.CONTINUOUS) {
      throw new IllegalArgumentException("use continuousChanges for a continuous feed");
    }
    return request(HttpMethod.GET, "/" + DocId.segment(db) + "/_changes" + q.queryString(), null, null, idleTimeout(q), answering)
        .map(b -> {
          JsonObject o = parse(b, JsonObject::new);
          List<Change> rows = new ArrayList<>();
          o.getJsonArray("results", new JsonArray()).forEach(r -> rows.add(Change.fromJson((JsonObject) r)));
          Object last = o.getValue("last_seq");
          return new ChangesBatch(rows, last == null ? q.since() : new ChangeSeq(last), o.getLong("pending", -1L));
        });
  }

  /**
   * A continuous {@code _changes} feed: each row is handed to {@code onChange}, and the feed is paused until
   * the future it returns completes, so rows are applied one at a time in order. Completes with the last
   * sequence when the server ends the feed (its {@code timeout}), fails when the link breaks.
   */
  public Future<ChangeSeq> continuousChanges(String db, ChangesQuery q, Function<Change, Future<Void>> onChange) {
    if (q.feed() != ChangesQuery.Feed.CONTINUOUS) {
      throw new IllegalArgumentException("not a continuous query");
    }
    RequestOptions options = options(HttpMethod.GET, "/" + DocId.segment(db) + "/_changes" + q.queryString(), idleTimeout(q));
    return http.request(options).compose(req -> req.send()).compose(resp -> {
      if (resp.statusCode() >= 300) {
        return resp.body().compose(b -> Future.failedFuture(failure(resp.statusCode(), b)));
      }
      return followContinuous(resp, q.since(), onChange);
    }, e -> Future.failedFuture(unreachable(e)));
  }

  private Future<ChangeSeq> followContinuous(HttpClientResponse resp, ChangeSeq since, Function<Change, Future<Void>> onChange) {
    Promise<ChangeSeq> done = Promise.promise();
    ChangeSeq[] last = {since};
    RecordParser lines = RecordParser.newDelimited("\n", resp);
    lines.handler(line -> {
      if (line.length() == 0 || line.toString().isBlank()) {
        return; // heartbeat
      }
      JsonObject row;
      try {
        row = line.toJsonObject();
      } catch (DecodeException e) {
        done.tryFail(new CouchException(200, "bad_changes_row", e.getMessage()));
        return;
      }
      if (row.containsKey("last_seq")) {
        last[0] = new ChangeSeq(row.getValue("last_seq"));
        return;
      }
      Change change = Change.fromJson(row);
      lines.pause();
      onChange.apply(change).onComplete(r -> {
        if (r.failed()) {
          done.tryFail(r.cause());
          resp.request().reset();
          return;
        }
        last[0] = change.seq();
        lines.resume();
      });
    });
    lines.exceptionHandler(e -> done.tryFail(unreachable(e)));
    lines.endHandler(v -> done.tryComplete(last[0]));
    return done.future();
  }

  /** An attachment's bytes. */
  public Future<Buffer> attachment(String db, String id, String name) {
    return bounded(request(HttpMethod.GET, docPath(db, id) + "/" + DocId.segment(name), null, null, requestTimeoutMs));
  }

  /** Adds an attachment to revision {@code rev} of a document; answers the new revision. */
  public Future<String> putAttachment(String db, String id, String rev, String name, String contentType, Buffer bytes) {
    String path = docPath(db, id) + "/" + DocId.segment(name) + (rev == null ? "" : "?rev=" + DocId.segment(rev));
    return bounded(request(HttpMethod.PUT, path, bytes, contentType, requestTimeoutMs))
        .map(b -> parse(b, JsonObject::new).getString("rev"));
  }

  public Future<Void> close() {
    return http.close();
  }

  private static String docPath(String db, String id) {
    return "/" + DocId.segment(db) + "/" + DocId.path(id);
  }

  private long idleTimeout(ChangesQuery q) {
    long wait = q.heartbeatMs() > 0 ? 2 * q.heartbeatMs() : q.timeoutMs();
    return q.feed() == ChangesQuery.Feed.NORMAL ? requestTimeoutMs : wait + requestTimeoutMs;
  }

  private Future<JsonObject> json(HttpMethod method, String path, Buffer body) {
    return bounded(request(method, path, body, body == null ? null : "application/json", requestTimeoutMs))
        .map(b -> parse(b, JsonObject::new));
  }

  /**
   * A whole request (not a feed) is given at most twice the request timeout, whatever the connection
   * does: a server that accepts and then says nothing must not hold a caller (a push batch) forever.
   */
  private <T> Future<T> bounded(Future<T> request) {
    return request.timeout(2 * requestTimeoutMs, TimeUnit.MILLISECONDS).recover(e ->
        Future.failedFuture(e instanceof CouchException ? e : new CouchException("timeout", e)));
  }

  private Future<Buffer> request(HttpMethod method, String path, Buffer body, String contentType, long idleMs) {
    return request(method, path, body, contentType, idleMs, () -> {});
  }

  private Future<Buffer> request(HttpMethod method, String path, Buffer body, String contentType, long idleMs,
      Runnable answering) {
    RequestOptions options = options(method, path, idleMs);
    if (contentType != null) {
      options.putHeader("Content-Type", contentType);
    }
    return http.request(options)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> {
          if (resp.statusCode() < 300) {
            answering.run();
          }
          return resp.body().map(b -> {
            if (resp.statusCode() >= 300) {
              throw failure(resp.statusCode(), b);
            }
            return b;
          });
        }, e -> Future.failedFuture(unreachable(e)))
        .recover(e -> Future.failedFuture(e instanceof CouchException ? e : unreachable(e)));
  }

  private RequestOptions options(HttpMethod method, String path, long idleMs) {
    RequestOptions o = new RequestOptions().setMethod(method).setAbsoluteURI(endpoint.base() + path)
        .setIdleTimeout(idleMs).putHeader("Accept", "application/json");
    if (authorization != null) {
      o.putHeader("Authorization", authorization);
    }
    return o;
  }

  private static <T> T parse(Buffer b, Function<Buffer, T> reader) {
    try {
      return reader.apply(b);
    } catch (DecodeException | ClassCastException e) {
      throw new CouchException(200, "bad_json", "the server's answer is not the JSON CouchDB gives: " + e.getMessage());
    }
  }

  private static CouchException failure(int status, Buffer body) {
    try {
      JsonObject o = body.toJsonObject();
      return new CouchException(status, o.getString("error"), o.getString("reason"));
    } catch (RuntimeException notJson) {
      String text = body.toString();
      return new CouchException(status, null, text.length() > 200 ? text.substring(0, 200) : text);
    }
  }

  private static CouchException unreachable(Throwable e) {
    return e instanceof CouchException c ? c : new CouchException("unreachable", e);
  }
}
