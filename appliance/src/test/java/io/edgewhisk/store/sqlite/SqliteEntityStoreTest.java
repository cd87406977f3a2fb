package io.edgewhisk.store.sqlite;

import static io.edgewhisk.store.sqlite.StoreFixture.await;
import static io.edgewhisk.store.sqlite.StoreFixture.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.edgewhisk.model.Action;
import io.edgewhisk.model.ActionLimits;
import io.edgewhisk.model.EntityType;
import io.edgewhisk.model.Exec;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.SemVer;
import io.edgewhisk.model.Trigger;
import io.edgewhisk.model.WhiskEntity;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.model.WhiskPackage;
import io.edgewhisk.store.EntityChange;
import io.edgewhisk.store.EntityStore.EntityListQuery;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteEntityStoreTest {
  @TempDir Path dir;
  StoreFixture fx;
  SqliteEntityStore store;

  @BeforeEach
  void open() {
    fx = new StoreFixture(dir, StoreFixture.config());
    store = new SqliteEntityStore(fx.db);
  }

  @AfterEach
  void close() {
    fx.close();
  }

  static Action action(FullyQualifiedName fqn, SemVer version, boolean publish, long updated) {
    return new Action(fqn, version, publish, new Exec.Code("nodejs:20", "function main(){}", false, null, null),
        KeyValues.EMPTY.with("p", 1), KeyValues.EMPTY, ActionLimits.DEFAULT, updated);
  }

  static Action action(String ns, String pkg, String name, long updated) {
    return action(new FullyQualifiedName(ns, pkg, name), SemVer.INITIAL, false, updated);
  }

  void create(WhiskEntity... entities) {
    for (WhiskEntity e : entities) {
      await(store.apply(List.of(new EntityChange.Create(e))));
    }
  }

  static int status(Throwable t) {
    return assertInstanceOf(WhiskException.class, t).status();
  }

  @Test
  void createsGetsUpdatesAndDeletes() {
    Action a = action("guest", null, "hello", 1000);
    create(a);
    assertEquals(a, await(store.get(a.fqn())));

    Action b = action(a.fqn(), SemVer.INITIAL.bumpPatch(), true, 2000);
    await(store.apply(List.of(new EntityChange.Update(b, SemVer.INITIAL))));
    assertEquals(b, await(store.get(a.fqn())));

    await(store.apply(List.of(new EntityChange.Delete(a.fqn(), b.version()))));
    assertNull(await(store.get(a.fqn())));
  }

  @Test
  void answers409OnCreateOfAnExistingNameOfAnyType() {
    create(action("guest", null, "x", 1));
    Trigger t = new Trigger(FullyQualifiedName.of("guest", "x"), SemVer.INITIAL, false, KeyValues.EMPTY,
        KeyValues.EMPTY, Map.of(), 2);
    Throwable f = failure(store.apply(List.of(new EntityChange.Create(t))));
    assertEquals(409, status(f));
    assertEquals("resource already exists", f.getMessage());
  }

  @Test
  void answers409WhenTheVersionMovedOnOrTheEntityIsGone() {
    Action a = action("guest", null, "x", 1);
    create(a);
    Action next = action(a.fqn(), new SemVer(0, 0, 3), false, 2);
    Throwable stale = failure(store.apply(List.of(new EntityChange.Update(next, new SemVer(0, 0, 2)))));
    assertEquals(409, status(stale));
    assertEquals("Concurrent modification to resource detected.", stale.getMessage());
    assertEquals(409, status(failure(store.apply(List.of(
        new EntityChange.Delete(FullyQualifiedName.of("guest", "nothing"), SemVer.INITIAL))))));
    assertEquals(409, status(failure(store.apply(List.of(
        new EntityChange.Delete(a.fqn(), new SemVer(9, 9, 9)))))));
    assertEquals(a, await(store.get(a.fqn())));
  }

  @Test
  void rollsBackTheWholeBatchWhenOneChangeFails() {
    Action existing = action("guest", null, "existing", 1);
    create(existing);
    Action fresh = action("guest", null, "fresh", 2);
    Action updated = action(existing.fqn(), SemVer.INITIAL.bumpPatch(), false, 3);
    Throwable f = failure(store.apply(List.of(
        new EntityChange.Create(fresh),
        new EntityChange.Update(updated, SemVer.INITIAL),
        new EntityChange.Create(action("guest", null, "existing", 4)))));
    assertEquals(409, status(f));
    assertNull(await(store.get(fresh.fqn())));
    assertEquals(existing, await(store.get(existing.fqn())));
  }

  @Test
  void listsNewestFirstWithSkipLimitPackageAndPublicFilters() {
    WhiskPackage pkg = new WhiskPackage(FullyQualifiedName.of("guest", "utils"), SemVer.INITIAL, false, null,
        KeyValues.EMPTY, KeyValues.EMPTY, 5);
    create(pkg,
        action("guest", null, "a1", 10),
        action("guest", "utils", "a2", 30),
        action(FullyQualifiedName.of("guest", "a3"), SemVer.INITIAL, true, 20),
        action("other", null, "a4", 40));

    assertEquals(List.of("a2", "a3", "a1"), names(store.list(q("guest", null, false, 0, 0))));
    assertEquals(List.of("a3"), names(store.list(q("guest", null, false, 1, 1))));
    assertEquals(List.of("a2"), names(store.list(q("guest", "utils", false, 0, 0))));
    assertEquals(List.of("a3"), names(store.list(q("guest", null, true, 0, 0))));
    assertEquals(3L, await(store.count(q("guest", null, false, 1, 1))));
    assertEquals(1L, await(store.count(q("guest", "utils", false, 0, 0))));
    assertEquals(0L, await(store.count(q("guest", "utils", true, 0, 0))));
    assertEquals(List.of("utils"), await(store.list(new EntityListQuery("guest", EntityType.PACKAGE, null, false, 0, 0)))
        .stream().map(e -> e.fqn().name()).toList());
  }

  static EntityListQuery q(String ns, String pkg, boolean publicOnly, int skip, int limit) {
    return new EntityListQuery(ns, EntityType.ACTION, pkg, publicOnly, skip, limit);
  }

  static List<String> names(io.vertx.core.Future<List<WhiskEntity>> f) {
    return await(f).stream().map(e -> e.fqn().name()).toList();
  }
}
