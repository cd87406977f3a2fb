package io.edgewhisk.invoker;

import io.edgewhisk.model.Action;
import io.edgewhisk.model.ActionLimits;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.Exec;
import io.edgewhisk.model.KeyValues;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Measures, in one run on real Podman: (a) the raw round trip of {@code /run} to a warm nodejs container on
 * its published port, (b) a warm invocation through the invoker (overhead = b - a), (c) a cold start without
 * a stem cell and (d) a start from a stem cell, each to the result. A benchmark, not a test: run it with
 * <pre>
 *   mvn -q -pl appliance -am install -DskipTests
 *   mvn -q -pl appliance dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java -cp appliance/target/classes:appliance/target/test-classes:$(cat appliance/target/cp.txt) \
 *     io.edgewhisk.invoker.InvokerBenchmark [warm-iterations] [start-iterations]
 * </pre>
 */
public final class InvokerBenchmark {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String ECHO = "function main(args) { return args; }";

  private InvokerBenchmark() {}

  public static void main(String[] args) throws Exception {
    int warmN = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int startN = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    PodmanTesting.requireImages(PodmanTesting.NODEJS);
    Vertx vertx = Vertx.vertx();
    String instance = "bench-" + ProcessHandle.current().pid();
    InvokerConfig config = InvokerTesting.config(instance, Map.of("user-memory", 16384, "pause-grace", "10m",
        "idle-timeout", "30m", "prewarm", true));
    RuntimesManifest manifest = RuntimesManifest.fromJson(new JsonObject().put("runtimes", new JsonObject().put("nodejs",
        new io.vertx.core.json.JsonArray().add(new JsonObject().put("kind", "nodejs:18").put("default", true)
            .put("image", new JsonObject().put("prefix", "localhost/edgewhisk").put("name", "action-nodejs").put("tag", "latest"))
            .put("stemCells", new io.vertx.core.json.JsonArray().add(new JsonObject().put("initialCount", 1).put("memory", "256 MB")))))));
    PodmanInvoker invoker = (PodmanInvoker) InvokerTesting.await(PodmanInvoker.start(vertx, config, manifest), WAIT);
    try {
      JsonObject payload = new JsonObject().put("name", "edge").put("n", 1);

      // (a) raw: a container of its own, so that these /run calls never mix with the invoker's log cuts
      Action rawAction = action("raw", 256);
      invoke(invoker, rawAction, payload);
      int port = containersOf(invoker).stream().filter(p -> p.view().action() != null
          && p.view().action().action().endsWith("/raw")).findFirst().orElseThrow().port();
      double[] raw = rawRoundTrips(vertx, port, payload, warmN);

      // (b) warm through the invoker
      Action warmAction = action("warm", 256);
      invoke(invoker, warmAction, payload);
      double[] warm = new double[warmN];
      for (int i = -500; i < warmN; i++) {
        long t0 = System.nanoTime();
        Activation a = invoke(invoker, warmAction, payload);
        long t = System.nanoTime() - t0;
        if (a.response().statusCode() != 0) {
          throw new AssertionError(a.toJson().encode());
        }
        if (i >= 0) {
          warm[i] = t / 1000.0;
        }
      }

      // (c) cold starts (128 MB: no stem cell of that size) and (d) starts from a 256 MB stem cell
      double[] cold = new double[startN];
      double[] stem = new double[startN];
      for (int i = 0; i < startN; i++) {
        long t0 = System.nanoTime();
        Activation c = invoke(invoker, action("cold" + i, 128), payload);
        cold[i] = (System.nanoTime() - t0) / 1e6;
        check(c, true);
        awaitStemCell(invoker);
        t0 = System.nanoTime();
        Activation s = invoke(invoker, action("stem" + i, 256), payload);
        stem[i] = (System.nanoTime() - t0) / 1e6;
        check(s, true);
      }

      double[] floor = cliFloor(Math.min(startN, 10));

      double rawP50 = pct(raw, 50);
      double warmP50 = pct(warm, 50);
      System.out.printf("(a) raw /run round trip, warm nodejs container: p50 %.0f µs, p99 %.0f µs (n=%d)%n", rawP50, pct(raw, 99), warmN);
      System.out.printf("(b) warm invocation through the invoker:       p50 %.0f µs, p99 %.0f µs (n=%d)%n", warmP50, pct(warm, 99), warmN);
      System.out.printf("    overhead (b) - (a) at p50: %.0f µs (target <= 300 µs)%n", warmP50 - rawP50);
      System.out.printf("(c) cold start, no stem cell, to result:      p50 %.0f ms, p90 %.0f ms (n=%d, target p50 <= 400 ms)%n",
          pct(cold, 50), pct(cold, 90), startN);
      System.out.printf("    floor: `podman run -d -p 127.0.0.1::8080` until the server answers (no /init, no /run):"
          + " p50 %.0f ms (n=%d); (c) / floor = %.2f%n", pct(floor, 50), floor.length, pct(cold, 50) / pct(floor, 50));
      System.out.printf("(d) start from a stem cell, to result:        p50 %.1f ms, p90 %.1f ms (n=%d, target p50 <= 30 ms)%n",
          pct(stem, 50), pct(stem, 90), startN);
    } finally {
      InvokerTesting.await(invoker.close(), WAIT);
      InvokerTesting.await(vertx.close(), WAIT);
    }
  }

  private static Action action(String name, int memory) {
    return InvokerTesting.action(name, new Exec.Code("nodejs:18", ECHO, false, null, null), new ActionLimits(60000, memory, 10, 1),
        KeyValues.EMPTY, KeyValues.EMPTY);
  }

  private static Activation invoke(Invoker invoker, Action action, JsonObject payload) throws Exception {
    return InvokerTesting.await(invoker.invoke(InvokerTesting.request(action, payload)), WAIT);
  }

  private static void check(Activation a, boolean cold) {
    if (a.response().statusCode() != 0 || (cold && a.annotations().get("initTime") == null)) {
      throw new AssertionError(a.toJson().encode());
    }
  }

  private static List<ContainerProxy> containersOf(PodmanInvoker invoker) throws Exception {
    return InvokerTesting.await(Future.<List<ContainerProxy>>future(p -> invoker.pool().context().runOnContext(v ->
        p.complete(invoker.pool().containers()))), WAIT);
  }

  private static void awaitStemCell(PodmanInvoker invoker) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (containersOf(invoker).stream().noneMatch(p -> p.view().action() == null && p.view().started())) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("no stem cell within a minute");
      }
      Thread.sleep(20);
    }
  }

  /** Sequential /run calls on one kept-alive connection, as the invoker makes them, in µs. */
  private static double[] rawRoundTrips(Vertx vertx, int port, JsonObject payload, int n) throws Exception {
    HttpClientAgent http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(1));
    Buffer body = new JsonObject().put("value", payload).put("namespace", "guest").put("action_name", "/guest/raw")
        .put("action_version", "0.0.1").put("activation_id", "0".repeat(32)).put("transaction_id", "t")
        .put("deadline", String.valueOf(System.currentTimeMillis() + 3_600_000)).toBuffer();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI("/run")
        .putHeader("content-type", "application/json");
    double[] out = new double[n];
    try {
      for (int i = -500; i < n; i++) {
        long t0 = System.nanoTime();
        InvokerTesting.await(http.request(options).compose(r -> r.send(body)).compose(r -> r.body()), WAIT);
        if (i >= 0) {
          out[i] = (System.nanoTime() - t0) / 1000.0;
        }
      }
    } finally {
      InvokerTesting.await(http.close(), WAIT);
    }
    return out;
  }

  /** What the podman command itself takes to a listening runtime, in ms: the platform's floor under (c). */
  private static double[] cliFloor(int n) throws Exception {
    String label = "edgewhisk.instance=bench-floor-" + ProcessHandle.current().pid();
    double[] out = new double[n];
    try {
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        String id = PodmanTesting.podman("run", "-d", "--ulimit", "nproc=4096:4096", "--ulimit", "nofile=1024:1024",
            "-p", "127.0.0.1::8080", "--label", label, PodmanTesting.NODEJS);
        String hostPort = PodmanTesting.podman("port", id, "8080");
        int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1).strip());
        while (true) {
          try (var socket = new java.net.Socket("127.0.0.1", port)) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            if (socket.getInputStream().read() >= 0) {
              break;
            }
          } catch (java.io.IOException notYet) {
            Thread.sleep(5);
          }
        }
        out[i] = (System.nanoTime() - t0) / 1e6;
      }
    } finally {
      String ids = PodmanTesting.podman("ps", "-aq", "--filter", "label=" + label);
      if (!ids.isEmpty()) {
        List<String> cmd = new ArrayList<>(List.of("rm", "-f", "-t", "0"));
        cmd.addAll(List.of(ids.split("\\s+")));
        PodmanTesting.podman(cmd.toArray(String[]::new));
      }
    }
    return out;
  }

  private static double pct(double[] values, int p) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v[Math.min(v.length - 1, (int) Math.ceil(p / 100.0 * v.length) - 1)];
  }
}
