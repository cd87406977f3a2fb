package io.edgewhisk.store;

import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationId;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Activation records. Writes are batched by the one database writer; storing the same activation id
 * twice keeps the first (consumers of the log are at-least-once). Old records are removed by the
 * retention policy (age and count per namespace).
 */
public interface ActivationStore {

  /** Stores the record; completes once it is committed. */
  Future<Void> store(Activation activation);

  /**
   * Stores the record whose JSON document ({@link Activation#toJson()}) the caller has encoded already
   * (for the {@code activations} topic), so that it is not encoded again; completes once it is committed.
   */
  default Future<Void> store(Activation activation, Buffer document) {
    return store(activation);
  }

  /** The record of this id in this namespace, or null. */
  Future<Activation> get(String namespace, ActivationId id);

  /**
   * Whether a record of this id is stored, in any namespace (ids are unique across namespaces): an id a caller
   * chose (remote invocation) must not be one already used.
   */
  Future<Boolean> contains(ActivationId id);

  /** The record of this id in this namespace as its JSON document, or null: answered as it is stored. */
  Future<Buffer> document(String namespace, ActivationId id);

  /**
   * One object or array field of the record ({@code logs}, {@code response}) as its JSON, or null when
   * there is no such record: read without decoding the whole record.
   */
  Future<Buffer> field(String namespace, ActivationId id, String field);

  /**
   * Summaries of the records ({@link Activation#toSummaryJson()}), newest {@code start} first: a list never
   * reads whole records, whose logs may be megabytes each.
   */
  Future<List<JsonObject>> summaries(ActivationQuery query);

  /** The ids of the records, newest {@code start} first, to read them whole one at a time. */
  Future<List<ActivationId>> ids(ActivationQuery query);

  Future<Long> count(ActivationQuery query);

  /**
   * What to list. {@code name} (nullable) matches the action's name or its package-qualified name
   * ({@code pkg/name}); {@code since} and {@code upto} (nullable, epoch ms, inclusive) bound {@code start}.
   */
  record ActivationQuery(String namespace, String name, Long since, Long upto, int skip, int limit) {}
}
