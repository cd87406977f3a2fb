package io.edgewhisk.sync;

import io.edgewhisk.spi.Subject;
import io.edgewhisk.sync.couch.ChangeSeq;
import io.edgewhisk.sync.couch.ChangesQuery;
import io.edgewhisk.sync.couch.CouchClient;
import io.edgewhisk.sync.couch.CouchEndpoint;
import io.edgewhisk.sync.fakes.CoreLogTopics;
import io.edgewhisk.sync.fakes.InMemoryEntities;
import io.edgewhisk.sync.fakes.InMemoryIdentities;
import io.edgewhisk.sync.fakes.SqlitePluginDatabase;
import io.edgewhisk.sync.link.Backoff;
import io.edgewhisk.sync.link.LinkState;
import io.edgewhisk.sync.pull.CentralDocs;
import io.edgewhisk.sync.pull.ChangesFollower;
import io.edgewhisk.sync.pull.FleetFilter;
import io.edgewhisk.sync.pull.FleetPull;
import io.edgewhisk.sync.pull.PullReporter;
import io.edgewhisk.sync.push.ActivationDocument;
import io.edgewhisk.sync.push.ActivationRecords;
import io.edgewhisk.sync.push.CouchDelivery;
import io.edgewhisk.sync.push.KafkaDelivery;
import io.edgewhisk.sync.push.KafkaLink;
import io.edgewhisk.sync.push.PushLoop;
import io.edgewhisk.sync.push.PushReporter;
import io.edgewhisk.sync.push.UserEvent;
import io.edgewhisk.sync.state.PullState;
import io.edgewhisk.sync.state.SyncSchema;
import io.edgewhisk.sync.testing.Await;
import io.edgewhisk.sync.testing.KafkaNode;
import io.edgewhisk.sync.testing.PouchDbServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Sync's throughput targets, each against a baseline measured in the same run on the same servers:
 * <ul>
 *   <li>drain of a backlog of N activations (default 100,000) from the core's file log into pouchdb-server,
 *       against raw {@code _bulk_docs} of the same documents in the same batch size;</li>
 *   <li>the same backlog onto Kafka as user events, against one raw producer batch of the same events;</li>
 *   <li>pull of 1,000 actions from empty, against one raw {@code _changes?include_docs=true} read of them.</li>
 * </ul>
 * Not a test: run it by hand, e.g. {@code java -cp <test class path> io.edgewhisk.sync.SyncBenchmark [N]}
 * (the class path from {@code mvn -pl sync dependency:build-classpath} plus target/classes and target/test-classes).
 */
public final class SyncBenchmark {
  private SyncBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "sync-bench-");
    Vertx vertx = Vertx.vertx();
    List<String> lines = new ArrayList<>();
    try (PouchDbServer couchServer = PouchDbServer.inMemory(); KafkaNode kafka = KafkaNode.start()) {
      CouchClient couch = new CouchClient(vertx, new CouchEndpoint(URI.create(couchServer.url()), null, null), Duration.ofSeconds(60), 4);
      CoreLogTopics log = Await.result(CoreLogTopics.open(vertx, dir.resolve("log")));
      fill(log, n);

      // CouchDB: raw _bulk_docs baseline, then the drain
      Await.result(couch.createDatabase("baseline"));
      Await.result(couch.createDatabase("whisk_local_activations"));
      long t0 = System.nanoTime();
      for (int from = 0; from < n; from += 500) {
        JsonArray docs = new JsonArray();
        for (int i = from; i < Math.min(n, from + 500); i++) {
          docs.add(ActivationDocument.of(ActivationRecords.record("guest", i), "bench"));
        }
        Await.result(couch.bulkDocs("baseline", docs));
      }
      double rawCouch = n / seconds(t0);
      PushLoop couchPush = new PushLoop(vertx, log, "push-couchdb", 500,
          new CouchDelivery(vertx, couch, "whisk_local_activations", "bench", log, 3, PushReporter.NONE),
          new Backoff(100, 2_000, new Random()), new LinkState("couchdb-push", Clock.systemUTC()));
      double drainCouch = drain(couchPush, n);
      lines.add(row("backlog drain into pouchdb-server (/s)", drainCouch, ">= 5,000", "raw _bulk_docs, 500 a request", rawCouch));

      // Kafka: one raw batch of the same events, then the drain
      InMemoryIdentities identities = new InMemoryIdentities();
      Await.result(identities.put(new Subject("alice", "guest", "23bc46b1-71f6-4ed5-8c54-816aa4f8c502", "k", false, null)));
      try (KafkaLink link = new KafkaLink(kafka.bootstrapServers(), Map.of(), "bench", 30_000)) {
        List<KafkaLink.Message> raw = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          JsonObject r = ActivationRecords.record("guest", i);
          raw.add(new KafkaLink.Message("baseline", r.getString("activationId"), UserEvent.of(r, "bench", "uuid").encode()));
        }
        Await.result(link.send(raw.subList(0, Math.min(1000, n)))); // topic made, connection warm
        t0 = System.nanoTime();
        Await.result(link.send(raw), Duration.ofMinutes(5));
        double rawKafka = n / seconds(t0);
        PushLoop kafkaPush = new PushLoop(vertx, log, "push-kafka", 5_000, new KafkaDelivery(link, "events", "bench", identities),
            new Backoff(100, 2_000, new Random()), new LinkState("kafka", Clock.systemUTC()));
        double drainKafka = drain(kafkaPush, n);
        lines.add(row("backlog drain onto Kafka (/s)", drainKafka, ">= 20,000", "one raw producer batch of the events", rawKafka));
      }

      // Pull of 1,000 actions from empty
      Await.result(couch.createDatabase("whisk_local_whisks"));
      Await.result(couch.createDatabase("whisk_local_subjects"));
      JsonArray actions = new JsonArray();
      for (int i = 0; i < 1000; i++) {
        actions.add(CentralDocs.nodeAction("guest", "a" + i, "function main(p){return {n:" + i + "}}", "*"));
      }
      actions.forEach(a -> ((JsonObject) a).remove("_rev"));
      Await.result(couch.bulkDocs("whisk_local_whisks", actions));
      t0 = System.nanoTime();
      Await.result(couch.changes("whisk_local_whisks", new ChangesQuery(ChangesQuery.Feed.NORMAL, ChangeSeq.START, 0, true, 0, 0)));
      double rawRead = seconds(t0);
      try (SqlitePluginDatabase db = new SqlitePluginDatabase(vertx, dir.resolve("state.db"), SyncSchema.migrations())) {
        InMemoryEntities entities = new InMemoryEntities();
        t0 = System.nanoTime();
        FleetPull pull = new FleetPull(vertx, couch, entities, identities, new PullState(db), new FleetFilter(Set.of("guest"), Set.of(), false),
            PullReporter.NONE, new FleetPull.Settings("whisk_local_whisks", "whisk_local_subjects",
                new ChangesFollower.Settings(500, 60_000, 10_000), 6, 250, 10, 500, 30_000, 30_000),
            new LinkState("pull", Clock.systemUTC()), Clock.systemUTC());
        pull.start();
        Await.until("1,000 actions pulled", Duration.ofMinutes(2), () -> entities.all().size() == 1000);
        double pullSeconds = seconds(t0);
        pull.stop();
        lines.add(String.format(Locale.ROOT, "| pull of 1,000 actions from empty (s) | %.2f | <= 5 | raw _changes read of them %.2f s (%.1fx) |",
            pullSeconds, rawRead, pullSeconds / rawRead));
      }
      Await.result(log.log().close());
      Await.result(couch.close());
    } finally {
      Await.result(vertx.close());
      deleteTree(dir);
    }
    System.out.println("| what | measured | target | baseline (same run) |");
    System.out.println("|---|---|---|---|");
    lines.forEach(System.out::println);
  }

  private static void fill(CoreLogTopics log, int n) {
    for (int from = 0; from < n; from += 5_000) {
      List<Future<Long>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + 5_000); i++) {
        batch.add(log.appendActivation(ActivationRecords.record("guest", i).toBuffer()));
      }
      Await.result(Future.all(batch));
    }
  }

  private static double drain(PushLoop loop, int n) {
    long t0 = System.nanoTime();
    Await.result(loop.start());
    Await.until(loop.consumer() + " drained", Duration.ofMinutes(10), () -> Await.result(loop.depth()) == 0);
    double rate = n / seconds(t0);
    Await.result(loop.stop());
    return rate;
  }

  private static String row(String what, double measured, String target, String baseline, double base) {
    return String.format(Locale.ROOT, "| %s | %,.0f | %s | %s %,.0f /s (%.2fx) |", what, measured, target, baseline, base, measured / base);
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void deleteTree(Path dir) throws Exception {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }


}
