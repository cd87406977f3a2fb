package io.edgewhisk.store;

import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationId;
import io.vertx.core.Future;
import java.util.List;

/**
 * Activation records. Writes are batched by the one database writer; storing the same activation id
 * twice keeps the first (consumers of the log are at-least-once). Old records are removed by the
 * retention policy (age and count per namespace).
 */
public interface ActivationStore {

  /** Stores the record; completes once it is committed. */
  Future<Void> store(Activation activation);

  /** The record of this id in this namespace, or null. */
  Future<Activation> get(String namespace, ActivationId id);

  /** Records newest {@code start} first. */
  Future<List<Activation>> list(ActivationQuery query);

  Future<Long> count(ActivationQuery query);

  /**
   * What to list. {@code name} (nullable) matches the action's name or its package-qualified name
   * ({@code pkg/name}); {@code since} and {@code upto} (nullable, epoch ms, inclusive) bound {@code start}.
   */
  record ActivationQuery(String namespace, String name, Long since, Long upto, int skip, int limit) {}
}
