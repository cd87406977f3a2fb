package io.edgewhisk.store.sqlite;

import static io.edgewhisk.store.sqlite.StoreFixture.await;
import static io.edgewhisk.store.sqlite.StoreFixture.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.model.Identity;
import io.edgewhisk.model.NamespaceLimits;
import io.edgewhisk.model.WhiskException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteSubjectStoreTest {
  static final NamespaceLimits DEFAULTS = new NamespaceLimits(60, 30, 60, null, true);

  @TempDir Path dir;
  StoreFixture fx;
  SqliteSubjectStore store;

  @BeforeEach
  void open() {
    fx = new StoreFixture(dir, StoreFixture.config());
    store = await(SqliteSubjectStore.open(fx.db, DEFAULTS, Duration.ofMillis(100)));
  }

  @AfterEach
  void close() {
    store.close();
    fx.close();
  }

  static int status(Throwable t) {
    return assertInstanceOf(WhiskException.class, t).status();
  }

  @Test
  void createsANamespaceWithFreshCredentialsThatAuthenticate() {
    Identity i = await(store.create("alice", "alice-ns"));
    assertEquals(36, i.uuid().length());
    assertEquals(64, i.key().length());
    assertTrue(i.key().matches("[A-Za-z0-9]{64}"));
    assertEquals(i, store.authenticate(i.uuid(), i.key()));
    assertEquals(i, store.identityOf("alice-ns"));
    assertNull(store.authenticate(i.uuid(), i.key().substring(1) + "x"));
    assertNull(store.authenticate("no-such-uuid", i.key()));
    assertNull(store.authenticate(i.uuid(), null));
    assertNull(store.authenticate(i.uuid(), i.key() + "x"));
    assertNull(store.authenticate(i.uuid(), i.key().substring(0, 63)));
    assertNull(store.authenticate(i.uuid(), ""));
    assertEquals(409, status(failure(store.create("bob", "alice-ns"))));
    assertEquals(400, status(failure(store.create("bob", "bad/name"))));
  }

  @Test
  void rotatesTheKeyKeepingTheUuid() {
    Identity before = await(store.create("alice", "alice-ns"));
    Identity after = await(store.rotateKey("alice-ns"));
    assertEquals(before.uuid(), after.uuid());
    assertNotEquals(before.key(), after.key());
    assertNull(store.authenticate(before.uuid(), before.key()));
    assertEquals(after, store.authenticate(after.uuid(), after.key()));
    assertEquals(404, status(failure(store.rotateKey("nobody"))));
  }

  @Test
  void putsFixedCredentialsAndDeletes() {
    Identity put = await(store.put("guest", "guest", "23bc46b1-71f6-4ed5-8c54-816aa4f8c502", "k".repeat(64)));
    assertEquals(put, store.authenticate(put.uuid(), "k".repeat(64)));
    assertEquals(409, status(failure(store.put("x", "other", put.uuid(), "y"))));
    assertEquals(List.of("guest"), await(store.list()).stream().map(Identity::namespace).toList());
    await(store.delete("guest"));
    assertNull(store.authenticate(put.uuid(), "k".repeat(64)));
    assertNull(store.identityOf("guest"));
    assertEquals(404, status(failure(store.delete("guest"))));
  }

  @Test
  void keepsOwnLimitsAndMergesDefaultsIntoIdentities() {
    await(store.create("alice", "alice-ns"));
    assertEquals(NamespaceLimits.NONE, await(store.limits("alice-ns")));
    assertEquals(DEFAULTS, store.identityOf("alice-ns").limits());

    NamespaceLimits own = new NamespaceLimits(5, null, null, List.of("nodejs:20"), false);
    await(store.setLimits("alice-ns", own));
    assertEquals(own, await(store.limits("alice-ns")));
    assertEquals(new NamespaceLimits(5, 30, 60, List.of("nodejs:20"), false), store.identityOf("alice-ns").limits());
    assertEquals(404, status(failure(store.limits("nobody"))));
    assertEquals(404, status(failure(store.setLimits("nobody", own))));
  }

  @Test
  void followsAKeyRotatedByAnotherProcessWithinAboutASecond() throws Exception {
    Identity before = await(store.create("alice", "alice-ns"));
    // a second Database on the same file, as the admin CLI opens it
    try (StoreFixture cli = new StoreFixture(dir, StoreFixture.config())) {
      SqliteSubjectStore cliStore = await(SqliteSubjectStore.open(cli.db, DEFAULTS, Duration.ofHours(1)));
      Identity after = await(cliStore.rotateKey("alice-ns"));
      Identity created = await(cliStore.create("bob", "bob-ns"));
      cliStore.close();

      long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (store.authenticate(after.uuid(), after.key()) == null && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(after, store.authenticate(after.uuid(), after.key()));
      assertNull(store.authenticate(before.uuid(), before.key()));
      assertNotNull(store.authenticate(created.uuid(), created.key()));
    }
  }
}
