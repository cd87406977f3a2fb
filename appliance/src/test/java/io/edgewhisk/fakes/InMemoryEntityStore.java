package io.edgewhisk.fakes;

import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.WhiskEntity;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.store.EntityChange;
import io.edgewhisk.store.EntityStore;
import io.vertx.core.Future;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An {@link EntityStore} in a map, with the same 409 semantics, for fast tests. */
public final class InMemoryEntityStore implements EntityStore {
  private final Map<FullyQualifiedName, WhiskEntity> entities = new ConcurrentHashMap<>();
  private final Map<FullyQualifiedName, Origin> origins = new ConcurrentHashMap<>();

  @Override
  public Future<WhiskEntity> get(FullyQualifiedName fqn) {
    return Future.succeededFuture(entities.get(fqn));
  }

  @Override
  public Future<Origin> origin(FullyQualifiedName fqn) {
    return Future.succeededFuture(entities.containsKey(fqn) ? origins.getOrDefault(fqn, Origin.LOCAL) : null);
  }

  @Override
  public synchronized Future<Void> apply(List<EntityChange> changes, Origin origin) {
    Map<FullyQualifiedName, WhiskEntity> next = new HashMap<>(entities);
    for (EntityChange c : changes) {
      FullyQualifiedName name = io.edgewhisk.store.CachingEntityStore.nameOf(c);
      if (origin == Origin.LOCAL && !(c instanceof EntityChange.Create) && origins.get(name) == Origin.FLEET) {
        return Future.failedFuture(new WhiskException(409, Origin.FLEET_MANAGED));
      }
      if (c instanceof EntityChange.Create create) {
        if (next.containsKey(create.entity().fqn())) {
          return Future.failedFuture(WhiskException.alreadyExists());
        }
        next.put(create.entity().fqn(), create.entity());
      } else if (c instanceof EntityChange.Update update) {
        WhiskEntity current = next.get(update.entity().fqn());
        if (current == null || !current.version().equals(update.expected())) {
          return Future.failedFuture(WhiskException.concurrentModification());
        }
        next.put(update.entity().fqn(), update.entity());
      } else if (c instanceof EntityChange.Delete delete) {
        WhiskEntity current = next.get(delete.fqn());
        if (current == null || !current.version().equals(delete.expected())) {
          return Future.failedFuture(WhiskException.concurrentModification());
        }
        next.remove(delete.fqn());
      }
    }
    for (EntityChange c : changes) {
      FullyQualifiedName name = io.edgewhisk.store.CachingEntityStore.nameOf(c);
      if (c instanceof EntityChange.Delete) {
        origins.remove(name);
      } else if (c instanceof EntityChange.Create || origin == Origin.FLEET) {
        origins.put(name, origin);
      }
    }
    entities.clear();
    entities.putAll(next);
    return Future.succeededFuture();
  }

  @Override
  public Future<List<WhiskEntity>> list(EntityListQuery q) {
    return Future.succeededFuture(matching(q).skip(q.skip()).limit(q.limit()).toList());
  }

  @Override
  public Future<Long> count(EntityListQuery q) {
    return Future.succeededFuture(matching(q).count());
  }

  private java.util.stream.Stream<WhiskEntity> matching(EntityListQuery q) {
    return entities.values().stream()
        .filter(e -> e.type() == q.type() && e.fqn().namespace().equals(q.namespace()))
        .filter(e -> q.pkg() == null || q.pkg().equals(e.fqn().pkg()))
        .filter(e -> !q.publicOnly() || e.publish())
        .sorted(Comparator.comparingLong(WhiskEntity::updated).reversed());
  }
}
