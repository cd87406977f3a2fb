package io.edgewhisk.store;

import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.WhiskEntity;
import io.edgewhisk.store.EntityChange.Create;
import io.edgewhisk.store.EntityChange.Delete;
import io.edgewhisk.store.EntityChange.Update;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the entities read by name in memory, so that the hot paths (GET of an action, resolving an
 * action to invoke) cost no query. Every write in this process goes through {@link #apply}, which drops
 * what it touched; a read that raced with a write is not cached. Lists go to the store.
 */
public final class CachingEntityStore implements EntityStore {
  private final EntityStore store;
  private final int maxEntries;
  private final Map<FullyQualifiedName, Optional<WhiskEntity>> cache = new ConcurrentHashMap<>();
  private final AtomicLong writes = new AtomicLong();
  private volatile java.util.function.BiConsumer<List<EntityChange>, Origin> changed = (c, o) -> {};

  public CachingEntityStore(EntityStore store, int maxEntries) {
    this.store = Objects.requireNonNull(store, "store");
    this.maxEntries = maxEntries;
  }

  @Override
  public Future<WhiskEntity> get(FullyQualifiedName fqn) {
    Optional<WhiskEntity> hit = cache.get(fqn);
    if (hit != null) {
      return Future.succeededFuture(hit.orElse(null));
    }
    long before = writes.get();
    return store.get(fqn).onSuccess(e -> {
      if (writes.get() == before) {
        if (cache.size() >= maxEntries) {
          cache.clear();
        }
        cache.put(fqn, Optional.ofNullable(e));
      }
    });
  }

  @Override
  public Future<Void> apply(List<EntityChange> changes, Origin origin) {
    writes.incrementAndGet();
    changes.forEach(c -> cache.remove(nameOf(c)));
    return store.apply(changes, origin).andThen(ar -> {
      writes.incrementAndGet();
      changes.forEach(c -> cache.remove(nameOf(c)));
      if (ar.succeeded()) {
        changed.accept(changes, origin);
      }
    });
  }

  @Override
  public Future<Origin> origin(FullyQualifiedName fqn) {
    return store.origin(fqn);
  }

  /** Tells {@code listener} of every change applied through this store (after it is stored). */
  public void onChanged(java.util.function.BiConsumer<List<EntityChange>, Origin> listener) {
    this.changed = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public Future<List<WhiskEntity>> list(EntityListQuery query) {
    return store.list(query);
  }

  @Override
  public Future<Long> count(EntityListQuery query) {
    return store.count(query);
  }

  /** The entity a change is about. */
  public static FullyQualifiedName nameOf(EntityChange c) {
    if (c instanceof Create create) {
      return create.entity().fqn();
    }
    if (c instanceof Update update) {
      return update.entity().fqn();
    }
    return ((Delete) c).fqn();
  }
}
