package io.edgewhisk.sync.push;

import io.edgewhisk.spi.LogTopics;
import io.edgewhisk.spi.TopicRecord;
import io.edgewhisk.sync.couch.BulkResult;
import io.edgewhisk.sync.couch.CouchClient;
import io.edgewhisk.sync.couch.CouchException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt to deliver a batch of activation records to the central activations database with
 * {@code _bulk_docs}. Per document: {@code ok} is delivered, {@code conflict} was delivered before (the id
 * is deterministic); any other error is tried again a few times and then rejected: reported by id and kept
 * on the plugin's {@code rejected} topic, so it never blocks the ones behind it. A request-level failure
 * (link, credentials, server) fails the attempt; a request too large is split.
 */
public final class CouchDelivery implements Function<List<TopicRecord>, Future<Integer>> {
  public static final String REJECTED_TOPIC = "rejected";
  private static final Logger LOG = LoggerFactory.getLogger(CouchDelivery.class);

  private final Vertx vertx;
  private final CouchClient couch;
  private final String db;
  private final String deviceId;
  private final LogTopics log;
  private final int documentAttempts;
  private final PushReporter reporter;
  /** Ids already rejected, so that a batch tried again does not reject (and keep) them twice. */
  private final Set<String> rejected = Collections.newSetFromMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > 10_000;
    }
  });

  public CouchDelivery(Vertx vertx, CouchClient couch, String db, String deviceId, LogTopics log, int documentAttempts,
      PushReporter reporter) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.couch = Objects.requireNonNull(couch, "couch");
    this.db = Objects.requireNonNull(db, "db");
    this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
    this.log = Objects.requireNonNull(log, "log");
    this.documentAttempts = documentAttempts;
    this.reporter = Objects.requireNonNull(reporter, "reporter");
  }

  @Override
  public Future<Integer> apply(List<TopicRecord> batch) {
    JsonArray docs = new JsonArray();
    Future<Void> rejections = Future.succeededFuture();
    for (TopicRecord r : batch) {
      try {
        docs.add(ActivationDocument.of(r.value().toJsonObject(), deviceId));
      } catch (RuntimeException e) {
        String reason = "record at offset " + r.offset() + " is not an activation: " + e.getMessage();
        rejections = rejections.compose(v -> reject("offset-" + r.offset(), reason, new JsonObject().put("raw", r.value().toString())));
      }
    }
    int count = docs.size();
    return rejections.compose(v -> deliver(docs, 1)).map(count);
  }

  private Future<Void> deliver(JsonArray docs, int attempt) {
    if (docs.isEmpty()) {
      return Future.succeededFuture();
    }
    return couch.bulkDocs(db, docs).recover(e -> {
      // A request refused for its content: CouchDB answers 413 for a request over its size limit, and
      // pouchdb-server refuses a whole request with 400 for one bad document where CouchDB answers per
      // document. Halving isolates the document at fault; the others go through.
      if (e instanceof CouchException c && refusesContent(c) && docs.size() > 1) {
        return split(docs).map(v -> List.of());
      }
      if (e instanceof CouchException c && refusesContent(c)) {
        return Future.succeededFuture(List.of(new BulkResult(docs.getJsonObject(0).getString("_id"), null,
            c.status() == 413 ? "too_large" : String.valueOf(c.error()), c.reason())));
      }
      return Future.failedFuture(e);
    }).compose(results -> retryFailed(docs, results, attempt));
  }

  private static boolean refusesContent(CouchException c) {
    return c.status() == 400 || c.status() == 413 || c.status() == 415;
  }

  private Future<Void> split(JsonArray docs) {
    int half = docs.size() / 2;
    JsonArray a = new JsonArray(new ArrayList<>(docs.getList().subList(0, half)));
    JsonArray b = new JsonArray(new ArrayList<>(docs.getList().subList(half, docs.size())));
    return deliver(a, 1).compose(v -> deliver(b, 1));
  }

  private Future<Void> retryFailed(JsonArray docs, List<BulkResult> results, int attempt) {
    JsonArray again = new JsonArray();
    List<BulkResult> failed = new ArrayList<>();
    for (int i = 0; i < results.size() && i < docs.size(); i++) {
      BulkResult r = results.get(i);
      if (r.ok() || r.conflict()) {
        continue;
      }
      again.add(docs.getJsonObject(i));
      failed.add(r);
    }
    if (again.isEmpty()) {
      return Future.succeededFuture();
    }
    if (attempt < documentAttempts && failed.stream().noneMatch(r -> "too_large".equals(r.error()) || "bad_request".equals(r.error()))) {
      return vertx.timer(200L * attempt).compose(t -> deliver(again, attempt + 1));
    }
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < again.size(); i++) {
      BulkResult r = failed.get(i);
      JsonObject doc = again.getJsonObject(i);
      chain = chain.compose(v -> reject(r.id(), r.error() + ": " + r.reason(), doc));
    }
    return chain;
  }

  /** Keeps a document the central database refused on the plugin's own topic, and reports it by id. */
  private Future<Void> reject(String id, String reason, JsonObject doc) {
    if (!rejected.add(id)) {
      return Future.succeededFuture();
    }
    LOG.warn("activation {} rejected by the central database: {}", id, reason);
    reporter.rejected(id, reason);
    return log.append(REJECTED_TOPIC, new JsonObject().put("id", id).put("reason", reason).put("doc", doc).toBuffer(), true)
        .mapEmpty();
  }
}
