package io.edgewhisk.cli;

import static io.edgewhisk.store.sqlite.StoreFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.model.Identity;
import io.edgewhisk.model.NamespaceLimits;
import io.edgewhisk.store.sqlite.SqliteSubjectStore;
import io.edgewhisk.store.sqlite.StoreFixture;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin commands against a state directory that a running "server" store has open. */
class AdminCommandTest {
  static final NamespaceLimits DEFAULTS = new NamespaceLimits(60, 30, 60, null, true);

  @TempDir Path dir;
  StoreFixture server;
  SqliteSubjectStore subjects;
  String out;
  String err;

  @BeforeEach
  void startServer() {
    server = new StoreFixture(dir, StoreFixture.config());
    subjects = await(SqliteSubjectStore.open(server.db, DEFAULTS, Duration.ofMillis(200)));
  }

  @AfterEach
  void stopServer() {
    subjects.close();
    server.close();
  }

  int run(String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    String[] all = new String[args.length + 2];
    all[0] = "--state-dir";
    all[1] = dir.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    int status = new AdminCommand().run(all, new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8));
    out = o.toString(StandardCharsets.UTF_8);
    err = e.toString(StandardCharsets.UTF_8);
    return status;
  }

  static <T> T eventually(Supplier<T> probe) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    T value = probe.get();
    while (value == null && System.nanoTime() < deadline) {
      Thread.sleep(20);
      value = probe.get();
    }
    return value;
  }

  @Test
  void createdNamespaceAuthenticatesInTheRunningServer() throws Exception {
    assertEquals(0, run("user", "create", "alice"), err);
    String[] credentials = out.strip().split(":");
    assertEquals(2, credentials.length);
    Identity alice = eventually(() -> subjects.authenticate(credentials[0], credentials[1]));
    assertNotNull(alice);
    assertEquals("alice", alice.namespace());

    assertEquals(1, run("user", "create", "alice"));
    assertTrue(err.contains("already exists"), err);
  }

  @Test
  void rotatedKeyTakesEffectInTheRunningServerAndTheOldOneStops() throws Exception {
    Identity before = await(subjects.create("bob", "bob"));
    assertEquals(0, run("user", "key", "bob"));
    assertEquals(before.authKey(), out.strip());

    assertEquals(0, run("user", "key", "bob", "--rotate"));
    String[] after = out.strip().split(":");
    assertEquals(before.uuid(), after[0]);
    assertNotNull(eventually(() -> subjects.authenticate(after[0], after[1])));
    assertNull(subjects.authenticate(before.uuid(), before.key()));
  }

  @Test
  void listsNamespacesWithoutKeysAndDeletes() throws Exception {
    Identity carol = await(subjects.create("carol-subject", "carol"));
    assertEquals(0, run("user", "list"));
    assertTrue(out.contains("carol") && out.contains("carol-subject") && out.contains(carol.uuid()), out);
    assertFalse(out.contains(carol.key()), "never prints keys");

    assertEquals(0, run("user", "delete", "carol"));
    assertNotNull(eventually(() -> subjects.authenticate(carol.uuid(), carol.key()) == null ? "gone" : null));
    assertEquals(1, run("user", "delete", "carol"));
    assertTrue(err.contains("namespace 'carol' does not exist"), err);
  }

  @Test
  void setsAndGetsLimitsSeenByTheRunningServer() throws Exception {
    await(subjects.create("dave", "dave"));
    assertEquals(0, run("limits", "set", "dave", "--invocations-per-minute", "5", "--allowed-kinds", "nodejs:20,python:3",
        "--store-activations", "false"));
    assertEquals(0, run("limits", "get", "dave"));
    assertEquals(new JsonObject().put("invocationsPerMinute", 5).put("allowedKinds", new io.vertx.core.json.JsonArray(
        List.of("nodejs:20", "python:3"))).put("storeActivations", false), new JsonObject(out));
    NamespaceLimits merged = new NamespaceLimits(5, 30, 60, List.of("nodejs:20", "python:3"), false);
    assertNotNull(eventually(() -> merged.equals(subjects.identityOf("dave").limits()) ? "seen" : null));

    assertEquals(0, run("limits", "set", "dave", "--concurrent-invocations=2"));
    assertEquals(0, run("limits", "get", "dave"));
    assertEquals(2, new JsonObject(out).getInteger("concurrentInvocations"));
    assertEquals(5, new JsonObject(out).getInteger("invocationsPerMinute"));

    assertEquals(0, run("limits", "set", "dave", "--clear"));
    assertEquals(0, run("limits", "get", "dave"));
    assertEquals(new JsonObject(), new JsonObject(out));
    assertNotNull(eventually(() -> DEFAULTS.equals(subjects.identityOf("dave").limits()) ? "seen" : null));
  }

  @Test
  void answersBadArgumentsWithUsageAndUnknownNamespacesWithAnError() throws Exception {
    assertEquals(2, run());
    assertTrue(err.contains("usage: edgewhisk"), err);
    assertEquals(2, run("user", "frobnicate"));
    assertEquals(2, run("user", "create"));
    assertEquals(2, run("user", "create", "a", "b"));
    assertEquals(2, run("user", "key", "a", "--bogus"));
    assertEquals(2, run("limits", "set", "a"));
    assertEquals(2, run("limits", "set", "a", "--fires-per-minute", "-1"));
    assertEquals(2, run("limits", "set", "a", "--store-activations", "maybe"));
    assertEquals(1, run("user", "key", "nobody"));
    assertTrue(err.contains("namespace 'nobody' does not exist"), err);
    assertEquals(1, run("limits", "get", "nobody"));
    assertEquals(1, run("limits", "set", "nobody", "--fires-per-minute", "3"));
    assertEquals(1, run("user", "create", "bad/name"));
    assertTrue(err.contains("not valid"), err);
  }

  @Test
  void readsTheConfigFileAndRefusesAMissingStateDirectory() throws Exception {
    Path conf = dir.resolve("edgewhisk.conf");
    Files.writeString(conf, "edgewhisk.state-dir = \"" + dir.resolve("missing") + "\"\n");
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int status = new AdminCommand().run(new String[] {"--config", conf.toString(), "user", "list"},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(e, true, StandardCharsets.UTF_8));
    assertEquals(1, status);
    assertTrue(e.toString(StandardCharsets.UTF_8).contains("missing does not exist"), e.toString());

    Files.writeString(conf, "edgewhisk.state-dir = \"" + dir + "\"\n");
    await(subjects.create("erin", "erin"));
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    status = new AdminCommand().run(new String[] {"--config", conf.toString(), "user", "list"},
        new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
    assertEquals(0, status);
    assertTrue(o.toString(StandardCharsets.UTF_8).contains("erin"));
  }
}
