package io.edgewhisk.sync.e2e;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged appliance of {@link SyncOverheadBenchmark} ({@code bin/edgewhisk serve} as installed, its own
 * state and cache folders and Podman instance), with the warm no-op action the load invokes.
 */
final class BenchAppliance implements AutoCloseable {
  private static final String NOOP = "function main(){return {}}";

  final String name;
  final PodmanInstance podman = new PodmanInstance();
  private final Path output;
  private Process process;
  private Rest wsk;
  private String auth;
  private int port;

  private BenchAppliance(String name, Path output) {
    this.name = name;
    this.output = output;
  }

  /**
   * Starts the appliance with {@code config} (HOCON, the instance id is added) in {@code work}, creates the
   * action and invokes it once. {@code BENCH_JAVA_OPTS} (e.g. a profiler's -agentpath, with EDGEWHISK_CDS=off)
   * goes to its JVM too, "{phase}" in it becoming the name.
   */
  static BenchAppliance start(Path dist, Path work, String name, String config) throws Exception {
    BenchAppliance a = new BenchAppliance(name, work.resolve(name + ".out"));
    Path state = Files.createDirectories(work.resolve("state-" + name));
    Path conf = Files.writeString(work.resolve(name + ".conf"),
        "edgewhisk.invoker.instance-id = \"" + a.podman.id() + "\"\n" + config);
    a.port = SyncedAppliance.freePort();
    String extra = System.getenv().getOrDefault("BENCH_JAVA_OPTS", "").replace("{phase}", name);
    ProcessBuilder b = new ProcessBuilder(dist.resolve("bin/edgewhisk").toString(), "serve", "--config", conf.toString(),
        "--state-dir", state.toString(), "--port", Integer.toString(a.port))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(a.output.toFile()));
    b.environment().putAll(Map.of(
        "EDGEWHISK_CACHE_DIR", work.resolve("cache-" + name).toString(),
        "JAVA_OPTS", "-Dedgewhisk.namespace-defaults.invocations-per-minute=100000000"
            + " -Dedgewhisk.namespace-defaults.concurrent-invocations=100000"
            // every activation made stays countable through the API (what the push is checked against)
            + " -Dedgewhisk.store.activations.retention-max-per-namespace=1000000000 " + extra));
    a.process = b.start();
    try {
      a.prepare(state);
    } catch (Exception | AssertionError e) {
      a.close();
      throw e;
    }
    return a;
  }

  private void prepare(Path state) throws Exception {
    BenchAppliance a = this;
    a.awaitPing();
    String key = Files.readString(state.resolve("guest.key")).strip();
    a.wsk = new Rest(a.port, key);
    a.auth = Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    Rest.Reply put = a.wsk.put("/api/v1/namespaces/_/actions/noop?overwrite=true", new JsonObject()
        .put("exec", new JsonObject().put("kind", "nodejs:default").put("code", NOOP))
        .put("limits", new JsonObject().put("concurrency", 200)));
    check(put.status() == 200, "creating the action: " + put);
    a.firstInvocation();
  }

  /** Invokes the action until it answers (its container's cold start can take minutes on a loaded machine). */
  private void firstInvocation() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        Rest.Reply r = wsk.post("/api/v1/namespaces/_/actions/noop?blocking=true&result=true", null);
        if (r.status() == 200) {
          return;
        }
        last = r.toString();
      } catch (java.io.UncheckedIOException timedOut) {
        last = timedOut.getMessage();
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException("the first invocation (sync " + name + ") did not succeed within 300 s: " + last);
  }

  String url() {
    return "http://127.0.0.1:" + port + "/api/v1/namespaces/_/actions/noop?blocking=true&result=true";
  }

  String auth() {
    return auth;
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  /** Its invoker's instance id, which its containers' names carry. */
  String instanceId() {
    return podman.id();
  }

  /** The activations recorded so far, once the count stops moving (records are written in batches). */
  long awaitRecorded() throws InterruptedException {
    long last = -1;
    long now = count();
    while (now != last) {
      Thread.sleep(1000);
      last = now;
      now = count();
    }
    return now;
  }

  private long count() {
    Rest.Reply r = wsk.get("/api/v1/namespaces/_/activations?count=true");
    check(r.status() == 200, "counting activations: " + r);
    return r.json().getLong("activations");
  }

  private void awaitPing() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      check(process.isAlive(), "the appliance (sync " + name + ") exited: " + Files.readString(output));
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ping")).build(),
            HttpResponse.BodyHandlers.ofString()).body().contains("pong")) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the appliance (sync " + name + ") did not answer /ping within 180 s");
  }

  /** Stops it (SIGTERM, as systemd would) and removes what is left of its Podman instance. */
  @Override
  public void close() throws Exception {
    try {
      if (process != null) {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      }
    } finally {
      List<String> left = podman.removeLeftovers();
      if (!left.isEmpty()) {
        System.err.println("removed containers the appliance (sync " + name + ") left: " + left);
      }
    }
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }
}
