package io.edgewhisk.store.sqlite;

import static io.edgewhisk.store.sqlite.StoreFixture.await;
import static io.edgewhisk.store.sqlite.StoreFixture.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.model.WhiskException;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  @TempDir Path dir;

  @Test
  void createsThePrivateFileInWalModeAtTheCurrentSchemaVersion() throws Exception {
    try (StoreFixture fx = new StoreFixture(dir, StoreFixture.config())) {
      Path file = dir.resolve("edgewhisk.db");
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      assertEquals("wal", await(fx.db.read(c -> string(c, "PRAGMA journal_mode"))));
      assertEquals(String.valueOf(Migrations.known().size()),
          await(fx.db.read(c -> string(c, "SELECT max(version) FROM schema_version"))));
    }
  }

  @Test
  void theDriverPreparedOnAnotherThreadMeanwhileLeavesOpenWorking() throws Exception {
    Thread ahead = new Thread(Database::prepareDriver, "prepare");
    ahead.start();
    try (StoreFixture fx = new StoreFixture(dir, StoreFixture.config())) {
      ahead.join(10_000);
      assertEquals("wal", await(fx.db.read(c -> string(c, "PRAGMA journal_mode"))));
    }
    Database.prepareDriver(); // again, once the driver is loaded: nothing to do, nothing thrown
  }

  @Test
  void refusesADatabaseWrittenByANewerEdgeWhisk() throws Exception {
    new StoreFixture(dir, StoreFixture.config()).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("edgewhisk.db"));
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO schema_version VALUES (99, 'V99__future.sql', 0)");
    }
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> Database.open(vertx, dir, StoreConfig.defaults()));
      assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
      assertTrue(e.getMessage().contains("newer EdgeWhisk"), e.getMessage());
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void answersOnTheCallersContextFromThreadsOfItsOwn() {
    try (StoreFixture fx = new StoreFixture(dir, StoreFixture.config())) {
      Context context = fx.vertx.getOrCreateContext();
      Promise<List<Object>> seen = Promise.promise();
      context.runOnContext(v -> fx.db.write(c -> Thread.currentThread().getName())
          .onComplete(r -> seen.complete(List.of(r.result(), Thread.currentThread().getName(), Context.isOnEventLoopThread(),
              fx.vertx.getOrCreateContext() == context))));
      List<Object> r = await(seen.future());
      assertEquals("edgewhisk-db-writer", r.get(0));
      assertNotEquals("edgewhisk-db-writer", r.get(1));
      assertEquals(true, r.get(2));
      assertEquals(true, r.get(3));
      assertTrue(await(fx.db.read(c -> Thread.currentThread().getName())).startsWith("edgewhisk-db-reader"));
    }
  }

  @Test
  void rollsBackAFailedWriteAndKeepsItsWhiskException() {
    try (StoreFixture fx = new StoreFixture(dir, StoreFixture.config())) {
      Throwable f = failure(fx.db.write(c -> {
        try (Statement s = c.createStatement()) {
          s.execute("INSERT INTO namespaces (namespace, subject, uuid, key, created) VALUES ('n', 's', 'u', 'k', 0)");
        }
        throw WhiskException.alreadyExists();
      }));
      assertEquals(409, ((WhiskException) f).status());
      assertEquals("0", await(fx.db.read(c -> string(c, "SELECT count(*) FROM namespaces"))));
      Throwable sql = failure(fx.db.write(c -> string(c, "SELECT * FROM no_such_table")));
      assertEquals(500, assertInstanceOf(WhiskException.class, sql).status());
    }
  }

  @Test
  void answers503WhenAnotherProcessHoldsTheWriteLockPastTheBusyTimeout() throws Exception {
    StoreConfig d = StoreConfig.defaults();
    StoreConfig quick = new StoreConfig(d.database(), d.readers(), Duration.ofMillis(100), d.activationBatchSize(),
        d.activationBatchDelay(), d.activationBatchDelayUnderLoad(), d.retentionAge(), d.retentionMaxPerNamespace(),
        d.retentionInterval(), d.subjectRefreshInterval());
    try (StoreFixture fx = new StoreFixture(dir, quick);
        Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("edgewhisk.db"));
        Statement s = other.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      Throwable f = failure(fx.db.write(c -> string(c, "SELECT 1")));
      assertEquals(503, assertInstanceOf(WhiskException.class, f).status());
      s.execute("ROLLBACK");
      assertEquals("1", await(fx.db.write(c -> string(c, "SELECT 1"))));
    }
  }

  @Test
  void splitsScriptsAtStatementsKeepingTriggersWhole() {
    List<String> statements = Migrations.statements("""
        -- a comment
        CREATE TABLE t (a INTEGER);
        CREATE TRIGGER x AFTER INSERT ON t
        BEGIN
          UPDATE t SET a = 1;
        END;
        INSERT INTO t VALUES (1);
        """);
    assertEquals(3, statements.size());
    assertTrue(statements.get(1).startsWith("CREATE TRIGGER") && statements.get(1).endsWith("END;"));
  }

  private static String string(Connection c, String sql) throws java.sql.SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getString(1);
    }
  }
}
