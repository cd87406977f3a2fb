package io.edgewhisk.store.sqlite;

import static io.edgewhisk.store.sqlite.StoreFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.ActivationResponse;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.SemVer;
import io.edgewhisk.store.ActivationStore.ActivationQuery;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteActivationStoreTest {
  @TempDir Path dir;
  StoreFixture fx;
  SqliteActivationStore store;

  void open(StoreConfig config) {
    fx = new StoreFixture(dir, config);
    store = new SqliteActivationStore(fx.db, config);
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
    if (fx != null) {
      fx.close();
    }
  }

  static StoreConfig config(int batchSize, Duration delay, Duration age, int maxPerNamespace) {
    return config(batchSize, delay, delay, age, maxPerNamespace);
  }

  static StoreConfig config(int batchSize, Duration delay, Duration underLoad, Duration age, int maxPerNamespace) {
    StoreConfig d = StoreConfig.defaults();
    return new StoreConfig(d.database(), d.readers(), d.busyTimeout(), batchSize, delay, underLoad, age,
        maxPerNamespace, d.retentionInterval(), d.subjectRefreshInterval());
  }

  static Activation activation(String ns, String path, long start, ActivationId id, String result) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    return new Activation(ns, name, ns, id, start, start + 5, 5, null,
        ActivationResponse.success(new JsonObject().put("r", result)), List.of("log line"),
        KeyValues.EMPTY.with("path", path).with("kind", "nodejs:20"), SemVer.INITIAL, false);
  }

  static Activation activation(String ns, String path, long start) {
    return activation(ns, path, start, ActivationId.random(), "x");
  }

  @Test
  void storesAndGetsARecordInItsNamespaceOnly() {
    open(StoreConfig.defaults());
    Activation a = activation("guest", "guest/hello", 1000);
    await(store.store(a));
    assertEquals(a, await(store.get("guest", a.activationId())));
    assertNull(await(store.get("other", a.activationId())));
  }

  @Test
  void listsSummariesWithoutResponseOrLogsAndDocumentsWhole() {
    open(StoreConfig.defaults());
    Activation a = activation("guest", "guest/hello", 1000);
    await(store.store(a));
    JsonObject summary = await(store.summaries(new ActivationQuery("guest", null, null, null, 0, 0))).get(0);
    assertEquals(a.toSummaryJson(), summary);
    assertFalse(summary.containsKey("logs") || summary.containsKey("response"), summary::encode);
    assertEquals(0, summary.getInteger("statusCode"));
    assertEquals(List.of(a.activationId()), await(store.ids(new ActivationQuery("guest", null, null, null, 0, 0))));
    assertEquals(a.toJson(), new JsonObject(await(store.document("guest", a.activationId()))));
    assertNull(await(store.document("other", a.activationId())));
    assertEquals(a.toJson().getJsonArray("logs"), new io.vertx.core.json.JsonArray(await(store.field("guest", a.activationId(), "logs"))));
    assertEquals(a.response().toJson(), new JsonObject(await(store.field("guest", a.activationId(), "response"))));
    assertNull(await(store.field("other", a.activationId(), "logs")));
  }

  @Test
  void storesTheDocumentItIsGivenWithoutEncodingTheRecordAgain() {
    open(StoreConfig.defaults());
    Activation a = activation("guest", "guest/hello", 1000);
    io.vertx.core.buffer.Buffer document = a.toJson().toBuffer();
    await(store.store(a, document));
    assertEquals(document, await(store.document("guest", a.activationId())));
    assertEquals(a, await(store.get("guest", a.activationId())));
    JsonObject summary = await(store.summaries(new ActivationQuery("guest", null, null, null, 0, 0))).get(0);
    assertEquals(a.toSummaryJson(), summary);
  }

  @Test
  void aSummaryIsTheRecordWithoutResponseAndLogsAndWithTheStatusCode() {
    Activation a = new Activation("guest", "hello", "guest", ActivationId.random(), 1000, 1005, 5, ActivationId.random(),
        ActivationResponse.applicationError(new JsonObject().put("error", "no")), List.of("a", "b"),
        KeyValues.EMPTY.with("path", "guest/hello"), SemVer.INITIAL, false);
    JsonObject expected = a.toJson();
    expected.remove("response");
    expected.remove("logs");
    expected.put("statusCode", 1);
    assertEquals(expected.encode(), a.toSummaryJson().encode());
  }

  @Test
  void summarisesRowsStoredBeforeTheSummaryColumn() {
    open(StoreConfig.defaults());
    Activation a = activation("guest", "guest/hello", 1000);
    await(store.store(a));
    await(fx.db.write(c -> {
      try (var s = c.createStatement()) {
        return s.executeUpdate("UPDATE activations SET summary = NULL");
      }
    }));
    JsonObject summary = await(store.summaries(new ActivationQuery("guest", null, null, null, 0, 0))).get(0);
    assertEquals(a.toSummaryJson(), summary);
  }

  @Test
  void keepsTheFirstOfTwoRecordsWithTheSameId() {
    open(StoreConfig.defaults());
    ActivationId id = ActivationId.random();
    Activation first = activation("guest", "guest/hello", 1000, id, "first");
    // the same batch, then a later one
    Future<Void> f1 = store.store(first);
    Future<Void> f2 = store.store(activation("guest", "guest/hello", 1000, id, "second"));
    await(f1);
    await(f2);
    await(store.store(activation("guest", "guest/hello", 1000, id, "third")));
    assertEquals(first, await(store.get("guest", id)));
    assertEquals(1L, await(store.count(new ActivationQuery("guest", null, null, null, 0, 0))));
  }

  @Test
  void commitsAFullBatchAtOnceAndAPartialOneAfterTheDelay() throws Exception {
    open(config(10, Duration.ofMillis(800), Duration.ofDays(7), 10_000));
    long t0 = System.nanoTime();
    Future<Void> lone = store.store(activation("guest", "guest/a", 1));
    Thread.sleep(200);
    assertFalse(lone.isComplete(), "a partial batch waits for the delay");
    await(lone);
    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(800));

    long t1 = System.nanoTime();
    List<Future<Void>> full = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      full.add(store.store(activation("guest", "guest/a", 10 + i)));
    }
    full.forEach(StoreFixture::await);
    assertTrue(System.nanoTime() - t1 < TimeUnit.MILLISECONDS.toNanos(700), "a full batch does not wait");
    assertEquals(11L, await(store.count(new ActivationQuery("guest", null, null, null, 0, 0))));
  }

  @Test
  void waitsLongerForCompanyOnceAFlushHeldEnoughRecordsAndNotAfterAQuietOne() throws Exception {
    Duration delay = Duration.ofMillis(50);
    Duration underLoad = Duration.ofMillis(700);
    int full = SqliteActivationStore.UNDER_LOAD_RECORDS;
    open(config(full, delay, underLoad, Duration.ofDays(7), 10_000));
    assertEquals(delay, store.batchDelay(), "not under load before any record");
    await(store.store(activation("guest", "guest/a", 1)));
    assertEquals(delay, store.batchDelay(), "one record is no load");

    List<Future<Void>> burst = new ArrayList<>();
    for (int i = 0; i < full; i++) {
      burst.add(store.store(activation("guest", "guest/a", 10 + i)));
    }
    burst.forEach(StoreFixture::await); // a full batch: committed at once
    assertEquals(underLoad, store.batchDelay());
    Thread.sleep(delay.toMillis() * 3); // the burst's first record had set a timer: it found nothing left
    assertEquals(underLoad, store.batchDelay(), "an empty flush is no sign of a quiet store");

    long t0 = System.nanoTime();
    Future<Void> next = store.store(activation("guest", "guest/a", 100));
    Thread.sleep(delay.toMillis() * 5);
    assertFalse(next.isComplete(),
        "under load a partial batch waits for the longer delay, not " + delay.toMillis() + " ms");
    await(next);
    assertTrue(System.nanoTime() - t0 >= underLoad.toNanos());
    assertEquals(delay, store.batchDelay(), "a flush of one record ends it");
    assertEquals(2L + full, await(store.count(new ActivationQuery("guest", null, null, null, 0, 0))));
  }

  @Test
  void commitsEveryRecordOfALargeBurst() {
    open(config(64, Duration.ofMillis(2), Duration.ofDays(7), 10_000));
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      all.add(store.store(activation("guest", "guest/burst", i)));
    }
    all.forEach(StoreFixture::await);
    assertEquals(1000L, await(store.count(new ActivationQuery("guest", "burst", null, null, 0, 0))));
  }

  @Test
  void listsNewestFirstByNameQualifiedNameAndTime() {
    open(StoreConfig.defaults());
    for (Activation a : List.of(
        activation("guest", "guest/hello", 100),
        activation("guest", "guest/utils/echo", 200),
        activation("guest", "whisk.system/utils/echo", 300),
        activation("guest", "guest/hello", 400),
        activation("other", "other/hello", 500))) {
      await(store.store(a));
    }
    assertEquals(List.of(400L, 300L, 200L, 100L), starts(new ActivationQuery("guest", null, null, null, 0, 0)));
    assertEquals(List.of(300L, 200L), starts(new ActivationQuery("guest", null, null, null, 1, 2)));
    assertEquals(List.of(400L, 100L), starts(new ActivationQuery("guest", "hello", null, null, 0, 0)));
    assertEquals(List.of(300L, 200L), starts(new ActivationQuery("guest", "echo", null, null, 0, 0)));
    assertEquals(List.of(300L, 200L), starts(new ActivationQuery("guest", "utils/echo", null, null, 0, 0)));
    assertEquals(List.of(300L, 200L), starts(new ActivationQuery("guest", null, 200L, 300L, 0, 0)));
    assertEquals(List.of(400L), starts(new ActivationQuery("guest", "hello", 101L, null, 0, 0)));
    assertEquals(2L, await(store.count(new ActivationQuery("guest", "echo", null, null, 0, 1))));
  }

  @Test
  void countsItsRecordsAsTheyAreStoredAndRemovedAndFromTheTableWhenOpened() {
    open(config(256, Duration.ofMillis(2), Duration.ofDays(1), 3));
    assertEquals(0, store.records());
    long now = System.currentTimeMillis();
    ActivationId twice = ActivationId.random();
    await(store.store(activation("guest", "guest/a", now, twice, "first")));
    await(store.store(activation("guest", "guest/a", now, twice, "second")));
    for (int i = 1; i <= 4; i++) {
      await(store.store(activation("guest", "guest/b", now - i * 1000)));
    }
    assertEquals(5, store.records(), "a record stored twice is counted once");
    assertTrue(store.bytes() > 0, "the database file's size");

    assertEquals(2L, await(store.enforceRetention()));
    assertEquals(3, store.records(), "retention's removals are counted off");

    // a store opened on the same database counts what is there
    SqliteActivationStore reopened = new SqliteActivationStore(fx.db, StoreConfig.defaults());
    try {
      assertEquals(0L, await(reopened.enforceRetention())); // on the writer, after its count
      assertEquals(3, reopened.records());
    } finally {
      reopened.close();
    }
  }

  @Test
  void retentionRemovesOldRecordsAndKeepsTheNewestPerNamespace() {
    open(config(256, Duration.ofMillis(2), Duration.ofDays(1), 3));
    long now = System.currentTimeMillis();
    long day = Duration.ofDays(1).toMillis();
    await(store.store(activation("guest", "guest/old", now - 2 * day)));
    for (int i = 0; i < 5; i++) {
      await(store.store(activation("guest", "guest/new", now - i * 1000)));
    }
    await(store.store(activation("other", "other/new", now - 1000)));
    await(store.store(activation("other", "other/old", now - day - 1000)));

    assertEquals(4L, await(store.enforceRetention()));
    assertEquals(List.of(now, now - 1000, now - 2000), starts(new ActivationQuery("guest", null, null, null, 0, 0)));
    assertEquals(List.of(now - 1000), starts(new ActivationQuery("other", null, null, null, 0, 0)));
    assertEquals(0L, await(store.enforceRetention()));
  }

  List<Long> starts(ActivationQuery q) {
    return await(store.summaries(q)).stream().map(o -> o.getLong("start")).toList();
  }
}
