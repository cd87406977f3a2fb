package io.edgewhisk.fakes;

import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.store.ActivationStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** An {@link ActivationStore} in a map, keeping the first record of an id, for fast tests. */
public final class InMemoryActivationStore implements ActivationStore {
  private final Map<ActivationId, Activation> records = new ConcurrentHashMap<>();

  @Override
  public Future<Void> store(Activation activation) {
    records.putIfAbsent(activation.activationId(), activation);
    return Future.succeededFuture();
  }

  @Override
  public Future<Activation> get(String namespace, ActivationId id) {
    Activation a = records.get(id);
    return Future.succeededFuture(a != null && a.namespace().equals(namespace) ? a : null);
  }

  @Override
  public Future<Boolean> contains(ActivationId id) {
    return Future.succeededFuture(records.containsKey(id));
  }

  @Override
  public Future<Buffer> document(String namespace, ActivationId id) {
    return get(namespace, id).map(a -> a == null ? null : a.toJson().toBuffer());
  }

  @Override
  public Future<Buffer> field(String namespace, ActivationId id, String field) {
    return get(namespace, id).map(a -> a == null ? null : io.vertx.core.json.Json.encodeToBuffer(a.toJson().getValue(field)));
  }

  @Override
  public Future<List<JsonObject>> summaries(ActivationQuery q) {
    return Future.succeededFuture(page(q).map(Activation::toSummaryJson).toList());
  }

  @Override
  public Future<List<ActivationId>> ids(ActivationQuery q) {
    return Future.succeededFuture(page(q).map(Activation::activationId).toList());
  }

  private Stream<Activation> page(ActivationQuery q) {
    Stream<Activation> all = matching(q).skip(Math.max(0, q.skip()));
    return q.limit() > 0 ? all.limit(q.limit()) : all;
  }

  @Override
  public Future<Long> count(ActivationQuery q) {
    return Future.succeededFuture(matching(q).count());
  }

  private Stream<Activation> matching(ActivationQuery q) {
    return records.values().stream()
        .filter(a -> a.namespace().equals(q.namespace()))
        .filter(a -> q.name() == null || q.name().equals(a.name())
            || q.name().equals(a.path().substring(a.path().indexOf('/') + 1)))
        .filter(a -> q.since() == null || a.start() >= q.since())
        .filter(a -> q.upto() == null || a.start() <= q.upto())
        .sorted(Comparator.comparingLong(Activation::start).reversed());
  }
}
