package io.edgewhisk.store.sqlite;

import static io.edgewhisk.store.sqlite.StoreFixture.await;

import io.edgewhisk.model.Activation;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.NamespaceLimits;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A rough measure, run by hand (not a test): the cost of {@code authenticate}, and activation records
 * committed per second with batching against one transaction per record. Usage: {@code StoreBenchmark [N]}.
 */
public final class StoreBenchmark {
  private StoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    Path dir = Files.createTempDirectory("edgewhisk-bench");
    try (StoreFixture fx = new StoreFixture(dir, StoreConfig.defaults())) {
      authenticate(fx);
      activations(fx, n);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void authenticate(StoreFixture fx) {
    SqliteSubjectStore subjects = await(SqliteSubjectStore.open(fx.db, NamespaceLimits.NONE, Duration.ofSeconds(1)));
    List<Identity> ids = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ids.add(await(subjects.create("s" + i, "ns" + i)));
    }
    long hits = 0;
    for (int round = 0; round < 3; round++) {
      int calls = 5_000_000;
      long t0 = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        Identity id = ids.get(i % ids.size());
        if (subjects.authenticate(id.uuid(), id.key()) != null) {
          hits++;
        }
      }
      long t = System.nanoTime() - t0;
      System.out.printf("authenticate: %.1f ns per call (round %d)%n", (double) t / calls, round);
    }
    subjects.close();
    System.out.println("(hits " + hits + ")");
  }

  /** CPU time of the database's writer thread so far. */
  private static long writerCpuNanos() {
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("edgewhisk-db-writer"))
        .mapToLong(t -> threads.getThreadCpuTime(t.getId())).sum();
  }

  private static void activations(StoreFixture fx, int n) {
    SqliteActivationStore store = new SqliteActivationStore(fx.db, StoreConfig.defaults());
    for (int round = 0; round < 2; round++) {
      List<Future<Void>> all = new ArrayList<>(n);
      long cpu0 = writerCpuNanos();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        all.add(store.store(SqliteActivationStoreTest.activation("bench", "bench/a", i)));
      }
      all.forEach(StoreFixture::await);
      long t = System.nanoTime() - t0;
      System.out.printf("batched: %d records in %d ms = %.0f records/s, the writer's CPU %.2f µs a record%n", n,
          t / 1_000_000, n * 1e9 / t, (writerCpuNanos() - cpu0) / 1e3 / n);
    }
    store.close();

    int single = Math.min(n, 5_000);
    List<Future<Integer>> all = new ArrayList<>(single);
    long t0 = System.nanoTime();
    for (int i = 0; i < single; i++) {
      Activation a = SqliteActivationStoreTest.activation("bench", "bench/b", i);
      all.add(fx.db.write(c -> {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO activations (activation_id, namespace, "
            + "name, qualified_name, start, \"end\", status_code, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
          p.setString(1, a.activationId().value());
          p.setString(2, a.namespace());
          p.setString(3, a.name());
          p.setString(4, SqliteActivationStore.qualifiedName(a));
          p.setLong(5, a.start());
          p.setLong(6, a.end());
          p.setInt(7, a.response().statusCode());
          p.setString(8, a.toJson().encode());
          return p.executeUpdate();
        }
      }));
    }
    all.forEach(StoreFixture::await);
    long t = System.nanoTime() - t0;
    System.out.printf("one per transaction: %d records in %d ms = %.0f records/s%n", single, t / 1_000_000,
        single * 1e9 / t);
  }
}
