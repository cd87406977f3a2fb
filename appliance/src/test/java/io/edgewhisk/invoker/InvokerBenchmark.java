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
 * its published port (a plain socket, kept alive), (b) a warm invocation through the invoker, both from a
 * plain thread, then (a') and (b') the same from an event loop as the API calls the invoker (overhead =
 * b' - a'), (c) a cold start without a stem cell to the result, with the {@code podman run} floor under it,
 * and (d) a start from a stem cell to the result. A benchmark, not a test: run it with
 * <pre>
 *   mvn -q -pl appliance -am install -DskipTests
 *   mvn -q -pl appliance dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java -cp appliance/target/classes:appliance/target/test-classes:$(cat appliance/target/cp.txt) \
 *     io.edgewhisk.invoker.InvokerBenchmark [warm-iterations, default 3000] [start-iterations, default 20]
 * </pre>
 * It needs localhost/edgewhisk/action-nodejs:latest and removes every container it made.
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
    // user memory large enough that nothing is evicted; CPU shares such that a 128 MB container weighs as much
    // as the podman command's containers (1024) do, so that (c) and its floor compete for the CPU alike
    InvokerConfig config = InvokerTesting.config(instance, Map.of("user-memory", 16384, "pause-grace", "10m",
        "idle-timeout", "30m", "prewarm", true, "cpu-total-shares", 131072));
    RuntimesManifest manifest = RuntimesManifest.fromJson(new JsonObject().put("runtimes", new JsonObject().put("nodejs",
        new io.vertx.core.json.JsonArray().add(new JsonObject().put("kind", "nodejs:18").put("default", true)
            .put("image", new JsonObject().put("prefix", "localhost/edgewhisk").put("name", "action-nodejs").put("tag", "latest"))
            .put("stemCells", new io.vertx.core.json.JsonArray().add(new JsonObject().put("initialCount", 1).put("memory", "256 MB")))))));
    PodmanInvoker invoker = (PodmanInvoker) InvokerTesting.await(PodmanInvoker.start(vertx, config, manifest), WAIT);
    try {
      JsonObject payload = new JsonObject().put("name", "edge").put("n", 1);

      // (a) raw: a container of its own, so that these /run calls never mix with the invoker's log cuts;
      // (b) warm through the invoker. Measured alternately, so that both see the same (shared, noisy) machine.
      Action rawAction = action("raw", 256);
      invoke(invoker, rawAction, payload);
      ContainerProxy rawContainer = containersOf(invoker).stream().filter(p -> p.view().action() != null
          && p.view().action().action().endsWith("/raw")).findFirst().orElseThrow();
      int port = rawContainer.port();
      String secret = rawContainer.secret();
      Action warmAction = action("warm", 256);
      invoke(invoker, warmAction, payload);
      double[] raw = new double[warmN];
      double[] warm = new double[warmN];
      RawClient rawClient = new RawClient(vertx, port, secret, payload);
      try {
        for (int i = -500; i < warmN; i++) {
          double r = rawClient.roundTrip();
          long t0 = System.nanoTime();
          Activation a = invoke(invoker, warmAction, payload);
          long t = System.nanoTime() - t0;
          if (a.response().statusCode() != 0) {
            throw new AssertionError(a.toJson().encode());
          }
          if (i >= 0) {
            raw[i] = r;
            warm[i] = t / 1000.0;
          }
        }
      } finally {
        rawClient.close();
      }

      // (a') and (b') as the API calls the invoker: from an event loop, each call chained on the last, in
      // alternating blocks; the raw calls through a Vert.x client, so both pay the same event-loop hops
      awaitStemCell(invoker);
      double[] rawLoop = new double[warmN];
      double[] warmLoop = new double[warmN];
      HttpClientAgent http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
          new PoolOptions().setHttp1MaxSize(1));
      Buffer rawBody = RawClient.body(payload);
      RequestOptions rawRequest = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
          .setURI("/run").putHeader("content-type", "application/json").putHeader(ContainerEngine.PROXY_SECRET_HEADER, secret);
      int blocks = 4;
      int per = warmN / blocks;
      try {
        for (int b = 0; b < blocks; b++) {
          double[] r = onLoop(vertx, per, () -> http.request(rawRequest).compose(q -> q.send(rawBody)).compose(q -> q.body()));
          double[] w = onLoop(vertx, per, () -> invoker.invoke(InvokerTesting.request(warmAction, payload)));
          System.arraycopy(r, 0, rawLoop, b * per, per);
          System.arraycopy(w, 0, warmLoop, b * per, per);
        }
      } finally {
        InvokerTesting.await(http.close(), WAIT);
      }

      // (c) cold starts (128 MB: no stem cell of that size) and (d) starts from a 256 MB stem cell
      double[] cold = new double[startN];
      double[] stem = new double[startN];
      for (int i = 0; i < startN; i++) {
        awaitStemCell(invoker); // the refill of the last one has finished: no other container is starting
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

      int measured = blocks * per;
      rawLoop = Arrays.copyOf(rawLoop, measured);
      warmLoop = Arrays.copyOf(warmLoop, measured);
      double rawP50 = pct(raw, 50);
      double warmP50 = pct(warm, 50);
      System.out.printf("(a) raw /run round trip, warm nodejs container: p50 %.0f µs, p99 %.0f µs (n=%d)%n", rawP50, pct(raw, 99), warmN);
      System.out.printf("(b) warm invocation through the invoker:       p50 %.0f µs, p99 %.0f µs (n=%d)%n", warmP50, pct(warm, 99), warmN);
      System.out.printf("    overhead (b) - (a) at p50: %.0f µs (caller on a plain thread: the invoker's two thread hand-offs"
          + " are in (b), not in (a))%n", warmP50 - rawP50);
      System.out.printf("(a') raw /run, Vert.x client, caller on an event loop: p50 %.0f µs, p99 %.0f µs (n=%d)%n",
          pct(rawLoop, 50), pct(rawLoop, 99), measured);
      System.out.printf("(b') warm invocation, caller on an event loop:         p50 %.0f µs, p99 %.0f µs (n=%d)%n",
          pct(warmLoop, 50), pct(warmLoop, 99), measured);
      System.out.printf("    overhead (b') - (a') at p50: %.0f µs (target <= 300 µs)%n", pct(warmLoop, 50) - pct(rawLoop, 50));
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

  /**
   * {@code /run} straight to a container on one kept-alive connection, written and read with a plain blocking
   * socket on the benchmark's own thread, so that nothing of the invoker (or of Vert.x) is in this path.
   */
  private static final class RawClient {
    private final java.net.Socket socket;
    private final java.io.OutputStream out;
    private final java.io.InputStream in;
    private final byte[] request;
    private final byte[] buffer = new byte[65536];

    /** The body of {@code /run} as the invoker sends it for this benchmark's payload. */
    static Buffer body(JsonObject payload) {
      return new JsonObject().put("value", payload).put("namespace", "guest").put("action_name", "/guest/raw")
          .put("action_version", "0.0.1").put("activation_id", "0".repeat(32)).put("transaction_id", "t")
          .put("deadline", String.valueOf(System.currentTimeMillis() + 3_600_000)).toBuffer();
    }

    RawClient(Vertx vertx, int port, String secret, JsonObject payload) throws java.io.IOException {
      socket = new java.net.Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(10_000);
      out = socket.getOutputStream();
      in = socket.getInputStream();
      byte[] body = body(payload).getBytes();
      String head = "POST /run HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
          + ContainerEngine.PROXY_SECRET_HEADER + ": " + secret + "\r\n" + "Content-Length: " + body.length + "\r\n\r\n";
      byte[] h = head.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      request = new byte[h.length + body.length];
      System.arraycopy(h, 0, request, 0, h.length);
      System.arraycopy(body, 0, request, h.length, body.length);
    }

    /** One round trip, in µs: the whole response (headers and a Content-Length body) read. */
    double roundTrip() throws Exception {
      long t0 = System.nanoTime();
      out.write(request);
      out.flush();
      int have = 0;
      int headerEnd = -1;
      int length = -1;
      while (true) {
        int n = in.read(buffer, have, buffer.length - have);
        if (n < 0) {
          throw new java.io.EOFException("the container closed the connection");
        }
        have += n;
        if (headerEnd < 0) {
          String text = new String(buffer, 0, have, java.nio.charset.StandardCharsets.ISO_8859_1);
          headerEnd = text.indexOf("\r\n\r\n");
          if (headerEnd >= 0) {
            var m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text.substring(0, headerEnd));
            if (!m.find()) {
              throw new java.io.IOException("no Content-Length in " + text.substring(0, headerEnd));
            }
            length = Integer.parseInt(m.group(1));
          }
        }
        if (headerEnd >= 0 && have >= headerEnd + 4 + length) {
          return (System.nanoTime() - t0) / 1000.0;
        }
      }
    }

    void close() throws Exception {
      socket.close();
    }
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

  /** Runs {@code op} n times (after 200 unmeasured) on an event loop, each after the last; µs each. */
  private static double[] onLoop(Vertx vertx, int n, java.util.function.Supplier<Future<?>> op) throws Exception {
    double[] out = new double[n];
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> step(op, -200, out, done));
    InvokerTesting.await(done.future(), Duration.ofMinutes(10));
    return out;
  }

  private static void step(java.util.function.Supplier<Future<?>> op, int i, double[] out, io.vertx.core.Promise<Void> done) {
    if (i == out.length) {
      done.complete();
      return;
    }
    long t0 = System.nanoTime();
    op.get().onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
        return;
      }
      if (ar.result() instanceof Activation a && a.response().statusCode() != 0) {
        done.fail(new AssertionError(a.toJson().encode()));
        return;
      }
      if (i >= 0) {
        out[i] = (System.nanoTime() - t0) / 1000.0;
      }
      step(op, i + 1, out, done);
    });
  }

  private static double pct(double[] values, int p) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v[Math.min(v.length - 1, (int) Math.ceil(p / 100.0 * v.length) - 1)];
  }
}
