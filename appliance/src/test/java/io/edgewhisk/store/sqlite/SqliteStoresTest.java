package io.edgewhisk.store.sqlite;

import static io.edgewhisk.store.sqlite.StoreFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.edgewhisk.config.ApplianceConfig;
import io.edgewhisk.config.ConfigLoader;
import io.edgewhisk.model.Identity;
import io.edgewhisk.store.ActivationStore.ActivationQuery;
import io.edgewhisk.store.StateBootstrap;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoresTest {
  @TempDir Path dir;

  @Test
  void opensTheStateDirectoryFromConfigAndCommitsQueuedActivationsOnClose() throws Exception {
    ApplianceConfig config = ConfigLoader.applianceConfig(null, dir);
    Vertx vertx = Vertx.vertx();
    try {
      SqliteStores stores = await(SqliteStores.open(vertx, config));
      Identity guest = stores.subjects().identityOf(StateBootstrap.GUEST);
      assertNotNull(guest);
      assertEquals(guest.authKey() + "\n", Files.readString(dir.resolve(StateBootstrap.GUEST_KEY_FILE)));
      stores.activations().store(SqliteActivationStoreTest.activation("guest", "guest/a", 1));
      stores.close();

      SqliteStores again = await(SqliteStores.open(vertx, config));
      assertEquals(guest, again.subjects().identityOf(StateBootstrap.GUEST));
      assertEquals(1L, await(again.activations().count(new ActivationQuery("guest", null, null, null, 0, 0))));
      again.close();
    } finally {
      await(vertx.close());
    }
  }
}
