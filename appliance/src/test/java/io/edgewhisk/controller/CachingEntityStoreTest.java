package io.edgewhisk.controller;

import static io.edgewhisk.controller.PipelineFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.edgewhisk.fakes.InMemoryEntityStore;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.SemVer;
import io.edgewhisk.model.Trigger;
import io.edgewhisk.model.WhiskEntity;
import io.edgewhisk.store.CachingEntityStore;
import io.edgewhisk.store.EntityChange;
import io.edgewhisk.store.EntityStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The entity cache: reads by name cost no query after the first, every write through it drops what it touched. */
class CachingEntityStoreTest {
  private final AtomicInteger reads = new AtomicInteger();
  private final InMemoryEntityStore backing = new InMemoryEntityStore();
  private final EntityStore counting = new EntityStore() {
    @Override
    public Future<WhiskEntity> get(FullyQualifiedName fqn) {
      reads.incrementAndGet();
      return backing.get(fqn);
    }

    @Override
    public Future<Void> apply(List<EntityChange> changes, Origin origin) {
      return backing.apply(changes, origin);
    }

    @Override
    public Future<Origin> origin(FullyQualifiedName fqn) {
      return backing.origin(fqn);
    }

    @Override
    public Future<List<WhiskEntity>> list(EntityListQuery query) {
      return backing.list(query);
    }

    @Override
    public Future<Long> count(EntityListQuery query) {
      return backing.count(query);
    }
  };

  private static Trigger trigger(SemVer version) {
    return new Trigger(FullyQualifiedName.of("guest", "t"), version, false, KeyValues.EMPTY, KeyValues.EMPTY, Map.of(), 1);
  }

  @Test
  void readsAreCachedAndWritesInvalidate() {
    CachingEntityStore cache = new CachingEntityStore(counting, 100);
    List<String> told = new ArrayList<>();
    cache.onChanged((changes, origin) -> told.add(changes.size() + " " + origin));
    FullyQualifiedName t = FullyQualifiedName.of("guest", "t");
    assertNull(await(cache.get(t)));
    assertNull(await(cache.get(t)));
    assertEquals(1, reads.get(), "a miss is cached too");

    await(cache.apply(List.of(new EntityChange.Create(trigger(SemVer.INITIAL)))));
    assertEquals(SemVer.INITIAL, await(cache.get(t)).version());
    assertEquals(SemVer.INITIAL, await(cache.get(t)).version());
    assertEquals(2, reads.get());

    await(cache.apply(List.of(new EntityChange.Update(trigger(SemVer.INITIAL.bumpPatch()), SemVer.INITIAL))));
    assertEquals(SemVer.INITIAL.bumpPatch(), await(cache.get(t)).version());
    assertEquals(List.of("1 LOCAL", "1 LOCAL"), told);
  }

  @Test
  void aFailedWriteIsNotAnnouncedAndTheCacheStaysRight() {
    CachingEntityStore cache = new CachingEntityStore(counting, 100);
    List<String> told = new ArrayList<>();
    cache.onChanged((changes, origin) -> told.add(origin.word()));
    await(cache.apply(List.of(new EntityChange.Create(trigger(SemVer.INITIAL)))));
    Future<Void> conflict = cache.apply(List.of(new EntityChange.Create(trigger(SemVer.INITIAL))));
    org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> await(conflict));
    assertEquals(List.of("local"), told);
    assertEquals(SemVer.INITIAL, await(cache.get(FullyQualifiedName.of("guest", "t"))).version());
  }

  @Test
  void beyondItsSizeItStartsAfresh() {
    CachingEntityStore cache = new CachingEntityStore(counting, 2);
    for (int i = 0; i < 5; i++) {
      await(cache.get(FullyQualifiedName.of("guest", "e" + i)));
    }
    await(cache.get(FullyQualifiedName.of("guest", "e4")));
    assertEquals(5, reads.get(), "the newest entry is still cached");
  }
}
