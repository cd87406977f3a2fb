package io.edgewhisk.store;

import static io.edgewhisk.store.sqlite.StoreFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.edgewhisk.model.Identity;
import io.edgewhisk.model.NamespaceLimits;
import io.edgewhisk.store.sqlite.SqliteSubjectStore;
import io.edgewhisk.store.sqlite.StoreFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateBootstrapTest {
  @TempDir Path dir;

  Identity bootstrap(boolean dev) {
    try (StoreFixture fx = new StoreFixture(dir, StoreFixture.config())) {
      SqliteSubjectStore subjects = await(SqliteSubjectStore.open(fx.db, NamespaceLimits.NONE, Duration.ofHours(1)));
      try {
        Identity guest = await(new StateBootstrap(fx.vertx, subjects, dir, dev).run());
        assertNotNull(subjects.identityOf(StateBootstrap.SYSTEM));
        assertEquals(guest, subjects.authenticate(guest.uuid(), guest.key()));
        return guest;
      } finally {
        subjects.close();
      }
    }
  }

  String guestKeyFile() throws Exception {
    Path file = dir.resolve(StateBootstrap.GUEST_KEY_FILE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    return Files.readString(file);
  }

  @Test
  void firstStartMakesARandomGuestKeyReadableByTheOwnerOnly() throws Exception {
    Identity guest = bootstrap(false);
    assertNotEquals(StateBootstrap.DEV_GUEST_KEY, guest.key());
    assertEquals(guest.authKey() + "\n", guestKeyFile());
    assertEquals(guest, bootstrap(false), "a second start keeps the key");
    try (var files = Files.list(dir)) {
      assertEquals(0, files.filter(f -> f.toString().endsWith(".tmp")).count());
    }
  }

  @Test
  void devInstallsOpenWhisksPublicKeysAndANormalStartReplacesThem() throws Exception {
    Identity guest = bootstrap(true);
    assertEquals(StateBootstrap.DEV_GUEST_UUID + ":" + StateBootstrap.DEV_GUEST_KEY, guest.authKey());
    assertEquals(guest.authKey() + "\n", guestKeyFile());
    try (StoreFixture fx = new StoreFixture(dir, StoreFixture.config())) {
      SqliteSubjectStore subjects = await(SqliteSubjectStore.open(fx.db, NamespaceLimits.NONE, Duration.ofHours(1)));
      assertEquals(StateBootstrap.DEV_SYSTEM_UUID + ":" + StateBootstrap.DEV_SYSTEM_KEY,
          subjects.identityOf(StateBootstrap.SYSTEM).authKey());
      subjects.close();
    }

    Identity after = bootstrap(false);
    assertEquals(guest.uuid(), after.uuid());
    assertNotEquals(StateBootstrap.DEV_GUEST_KEY, after.key());
    assertEquals(after.authKey() + "\n", guestKeyFile());
  }
}
