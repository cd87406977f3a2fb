package io.edgewhisk.store;

import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.SemVer;
import io.edgewhisk.model.WhiskEntity;

/** One write in an {@link EntityStore#apply} batch. */
public sealed interface EntityChange {
  /** Insert; the name must be free. */
  record Create(WhiskEntity entity) implements EntityChange {}

  /** Replace the entity stored at {@code expected} version with {@code entity}. */
  record Update(WhiskEntity entity, SemVer expected) implements EntityChange {}

  /** Remove the entity stored at {@code expected} version. */
  record Delete(FullyQualifiedName fqn, SemVer expected) implements EntityChange {}
}
