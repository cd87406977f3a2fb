package io.edgewhisk.sync.push;

import static io.edgewhisk.sync.testing.Await.result;
import static io.edgewhisk.sync.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.sync.couch.CouchClient;
import io.edgewhisk.sync.couch.CouchEndpoint;
import io.edgewhisk.sync.fakes.CoreLogTopics;
import io.edgewhisk.sync.testing.PouchDbServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGKILL of the pushing process in the middle of a backlog: after a restart, nothing lost, nothing twice. */
class PushKillIT {
  static final int N = 20_000;

  @TempDir Path dir;

  @Test
  void killedDuringAPushItResumesWithNoLossAndNoDuplicate() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (PouchDbServer server = PouchDbServer.inMemory()) {
      CouchClient couch = new CouchClient(vertx, new CouchEndpoint(URI.create(server.url()), null, null), Duration.ofSeconds(10), 2);
      result(couch.createDatabase("whisk_local_activations"));
      Path logDir = dir.resolve("log");
      CoreLogTopics log = result(CoreLogTopics.open(vertx, logDir));
      List<Future<Long>> appends = new ArrayList<>();
      for (int i = 0; i < N; i++) {
        appends.add(log.appendActivation(ActivationRecords.record("guest", i).toBuffer()));
      }
      result(Future.all(appends), Duration.ofSeconds(120));
      result(log.log().close());

      // small batches, so that the backlog takes seconds; the kill follows the child's own progress, not a query to the
      // busy server (which, answering late, once let the child drain all 20,000 before it saw 3,000)
      Process first = child(logDir, server.url(), "first", 10);
      Path firstOut = dir.resolve("first.out");
      until("a part pushed", Duration.ofSeconds(180), () -> waiting(firstOut) <= N - 3_000);
      first.destroyForcibly(); // SIGKILL
      assertTrue(first.waitFor(30, TimeUnit.SECONDS));
      assertEquals(137, first.exitValue(), "killed by SIGKILL");
      int atKill = count(couch);
      assertTrue(atKill < N, "killed in the middle: " + atKill + " of " + N + " were in");

      Process second = child(logDir, server.url(), "second", 100);
      assertTrue(second.waitFor(180, TimeUnit.SECONDS), "the restarted push drains the log");
      assertEquals(0, second.exitValue(), Files.readString(dir.resolve("second.out")));
      assertTrue(Files.readString(dir.resolve("second.out")).contains("DRAINED"));

      JsonArray rows = allDocs(server.url());
      Set<String> ids = new HashSet<>();
      for (Object o : rows) {
        JsonObject row = (JsonObject) o;
        ids.add(row.getString("id"));
        assertTrue(row.getJsonObject("value").getString("rev").startsWith("1-"), "written once: " + row);
      }
      assertEquals(N, rows.size());
      for (int i = 0; i < N; i++) {
        assertTrue(ids.contains("guest/" + ActivationRecords.id(i)), "activation " + i + " is there");
      }
      result(couch.close());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  private Process child(Path logDir, String url, String name, int batch) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    // Vert.x's file cache in the test's folder: the killed child cannot remove it
    return new ProcessBuilder(java.toString(), "-Xmx256m", "-Dvertx.cacheDirBase=" + dir.resolve("vertx-cache"),
        "-cp", System.getProperty("java.class.path"), PushChild.class.getName(), logDir.toString(), url,
        Integer.toString(batch))
        .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile()).start();
  }

  /** The records the child last said were still waiting (in whole lines only); N until it says. */
  private static long waiting(Path out) {
    String text;
    try {
      text = Files.readString(out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    long last = N;
    for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
      if (line.startsWith("WAITING ")) {
        last = Long.parseLong(line.substring("WAITING ".length()).trim());
      } else if (line.startsWith("DRAINED")) {
        last = 0;
      }
    }
    return last;
  }

  /** The number of documents, or -1 while the busy server does not answer in time (the wait goes on). */
  private static int count(CouchClient couch) {
    try {
      return result(couch.databaseInfo("whisk_local_activations")).getInteger("doc_count");
    } catch (io.edgewhisk.sync.couch.CouchException e) {
      return -1;
    }
  }

  private static JsonArray allDocs(String url) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(url + "/whisk_local_activations/_all_docs")).build(), HttpResponse.BodyHandlers.ofString());
    return new JsonObject(r.body()).getJsonArray("rows");
  }
}
