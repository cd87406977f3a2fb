package io.edgewhisk.sync.e2e;

import io.edgewhisk.sync.testing.KafkaNode;
import io.edgewhisk.sync.testing.PouchDbServer;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What running fleet sync online costs the gateway: the packaged appliance ({@code bin/edgewhisk serve}, as
 * installed) under wrk's blocking invocations of a warm no-op action at 32 connections, with sync off and
 * with sync on and online (pouchdb-server and a one-node Kafka on 127.0.0.1, every activation pushed to both
 * while the load runs), in alternating phases of the same run; the ratio of the medians is the figure
 * (target: sync on keeps >= 90 % of the throughput). Not a test: run by {@code bash sync/bench.sh}.
 *
 * <p>Arguments: the distribution folder, seconds per phase, rounds (each round one phase of each mode, the
 * order alternating), the wrk script ({@code packaging/bench.lua}). Prints a table and one line
 * {@code BENCH_SYNC off_rps=… on_rps=… ratio=… pushed=… made=…} for a caller to parse.
 */
public final class SyncOverheadBenchmark {
  private static final String NOOP = "function main(){return {}}";
  /** Linux's USER_HZ, the unit of /proc/PID/stat's times (100 on every Linux architecture the gateway runs on). */
  private static final double MS_PER_TICK = 10.0;

  private final Path dist;
  private final int seconds;
  private final Path lua;
  private final Path work;
  private final PodmanInstance podman = new PodmanInstance();
  private final List<String> log = new ArrayList<>();

  private SyncOverheadBenchmark(Path dist, int seconds, Path lua, Path work) {
    this.dist = dist;
    this.seconds = seconds;
    this.lua = lua;
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    Path dist = Path.of(args[0]).toAbsolutePath();
    int seconds = Integer.parseInt(args[1]);
    int rounds = Integer.parseInt(args[2]);
    Path lua = Path.of(args[3]).toAbsolutePath();
    Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "sync-overhead-");
    SyncOverheadBenchmark bench = new SyncOverheadBenchmark(dist, seconds, lua, work);
    try {
      bench.run(rounds);
    } finally {
      List<String> left = bench.podman.removeLeftovers();
      if (!left.isEmpty()) {
        System.err.println("removed containers the appliance left: " + left);
      }
      E2eTeardown.deleteTree(work);
    }
    System.exit(0); // the Kafka admin client's threads are not daemons
  }

  private void run(int rounds) throws Exception {
    String load = Files.readString(Path.of("/proc/loadavg")).strip();
    try (PouchDbServer couchServer = PouchDbServer.inMemory(); KafkaNode kafka = KafkaNode.start()) {
      String password = UUID.randomUUID().toString();
      couchServer.addAdmin("central", password);
      CentralCouch couch = new CentralCouch(couchServer.url(), "central", password);
      for (String db : List.of(CentralCluster.WHISKS, CentralCluster.SUBJECTS, CentralCluster.ACTIVATIONS)) {
        couch.createDatabase(db);
      }
      Path passwordFile = Files.writeString(work.resolve("couch.pw"), password + "\n");
      String common = """
          edgewhisk.invoker.instance-id = "%s"
          edgewhisk.mqtt.enabled = false
          """.formatted(podman.id());
      Path off = Files.writeString(work.resolve("off.conf"), common + "edgewhisk.sync.enabled = false\n");
      Path on = Files.writeString(work.resolve("on.conf"), common + """
          edgewhisk.sync {
            enabled = true
            device-id = gw-bench
            labels = [bench]
            couchdb { url = "%s", username = central, password-file = "%s" }
            kafka.bootstrap-servers = "%s"
          }
          """.formatted(couchServer.url(), passwordFile, kafka.bootstrapServers()));
      List<Double> offRates = new ArrayList<>();
      List<Double> onRates = new ArrayList<>();
      List<Double> offCpu = new ArrayList<>();
      List<Double> onCpu = new ArrayList<>();
      List<Double> centralCpu = new ArrayList<>();
      long made = 0;
      for (int r = 0; r < rounds; r++) {
        boolean onFirst = r % 2 == 1;
        for (boolean sync : onFirst ? List.of(true, false) : List.of(false, true)) {
          Phase p = phase(sync ? on : off, sync ? "on" : "off", sync ? couch : null,
              List.of(couchServer.process().pid(), kafka.process().pid()));
          (sync ? onRates : offRates).add(p.rps());
          (sync ? onCpu : offCpu).add(p.applianceCpuMs());
          if (sync) {
            made = p.made();
            centralCpu.add(p.centralCpuMs());
          }
          log.add(String.format(Locale.ROOT, "round %d sync %-3s %8.0f blocking invokes/s (p50 %.2f ms, >=400: %d);"
                  + " CPU per invocation: appliance %.3f ms, central servers %.3f ms%s",
              r + 1, sync ? "on" : "off", p.rps(), p.p50Ms(), p.errors(), p.applianceCpuMs(), p.centralCpuMs(),
              sync ? String.format(Locale.ROOT, "; %d of the %d activations made with sync on were in the central"
                  + " database when the phase ended", p.pushedAtEnd(), p.made()) : ""));
          System.err.println("sync-bench: " + log.get(log.size() - 1));
        }
      }
      // everything the on-phases made reaches the central database: sync kept working under the load
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      long pushed = couch.count(CentralCluster.ACTIVATIONS);
      while (pushed < made && System.nanoTime() < deadline) {
        Thread.sleep(500);
        pushed = couch.count(CentralCluster.ACTIVATIONS);
      }
      double offMedian = median(offRates);
      double onMedian = median(onRates);
      double ratio = onMedian / offMedian;
      System.out.println();
      log.forEach(System.out::println);
      System.out.printf(Locale.ROOT, "%nblocking invokes/s at 32 connections, median of %d phases of %d s each:%n", rounds, seconds);
      System.out.printf(Locale.ROOT, "  sync off (baseline)          %8.0f /s%n", offMedian);
      System.out.printf(Locale.ROOT, "  sync on and online           %8.0f /s   ratio %.3f (%s: target >= 0.90, cost <= 10 %%)%n",
          onMedian, ratio, ratio >= 0.9 ? "pass" : "MISS");
      double cpuRatio = median(onCpu) / median(offCpu);
      System.out.printf(Locale.ROOT, "appliance CPU per blocking invocation (process and children), medians:%n");
      System.out.printf(Locale.ROOT, "  sync off %.3f ms, sync on %.3f ms: ratio %.3f; the central servers (on this machine, not on a"
          + " gateway) used %.3f ms per invocation while sync pushed%n", median(offCpu), median(onCpu), cpuRatio, median(centralCpu));
      System.out.printf(Locale.ROOT, "  activations of the on-phases in the central activations database: %d of %d%n", pushed, made);
      System.out.printf(Locale.ROOT, "  %d cores shared with wrk, pouchdb-server and Kafka; load average at start %s, at end %s%n",
          Runtime.getRuntime().availableProcessors(), load, Files.readString(Path.of("/proc/loadavg")).strip());
      System.out.printf(Locale.ROOT, "BENCH_SYNC off_rps=%.0f on_rps=%.0f ratio=%.3f off_cpu_ms=%.3f on_cpu_ms=%.3f cpu_ratio=%.3f"
          + " central_cpu_ms=%.3f pushed=%d made=%d%n",
          offMedian, onMedian, ratio, median(offCpu), median(onCpu), cpuRatio, median(centralCpu), pushed, made);
      if (pushed < made) {
        throw new IllegalStateException("only " + pushed + " of " + made + " activations reached the central database");
      }
    }
  }

  /**
   * A phase's rate and the CPU the appliance and (separately) the central servers used in it, in ms per
   * invocation answered; with sync on, the activations made in that state folder so far and those central has.
   */
  private record Phase(double rps, double p50Ms, long errors, long made, long pushedAtEnd, double applianceCpuMs,
      double centralCpuMs) {}

  /** One appliance run: start, create and warm the action, wrk for the phase, count, stop. */
  private Phase phase(Path config, String name, CentralCouch central, List<Long> centralPids) throws Exception {
    Path state = work.resolve("state-" + name);
    Files.createDirectories(state);
    int port = SyncedAppliance.freePort();
    Map<String, String> env = Map.of(
        "EDGEWHISK_CACHE_DIR", work.resolve("cache").toString(),
        "JAVA_OPTS", "-Dedgewhisk.namespace-defaults.invocations-per-minute=100000000"
            + " -Dedgewhisk.namespace-defaults.concurrent-invocations=100000");
    ProcessBuilder b = new ProcessBuilder(dist.resolve("bin/edgewhisk").toString(), "serve", "--config", config.toString(),
        "--state-dir", state.toString(), "--port", Integer.toString(port))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(name + ".out").toFile()));
    b.environment().putAll(env);
    Process appliance = b.start();
    try {
      awaitPing(appliance, port, name);
      String key = Files.readString(state.resolve("guest.key")).strip();
      Rest wsk = new Rest(port, key);
      Rest.Reply put = wsk.put("/api/v1/namespaces/_/actions/noop?overwrite=true", new JsonObject()
          .put("exec", new JsonObject().put("kind", "nodejs:default").put("code", NOOP))
          .put("limits", new JsonObject().put("concurrency", 200)));
      check(put.status() == 200, "creating the action: " + put);
      String url = "http://127.0.0.1:" + port + "/api/v1/namespaces/_/actions/noop?blocking=true&result=true";
      String auth = Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
      check(wsk.post("/api/v1/namespaces/_/actions/noop?blocking=true&result=true", null).status() == 200, "the first invocation");
      wrk(url, auth, 3); // warm-up: JIT, pools, connections
      long applianceTicks = cpuTicks(appliance.toHandle());
      long centralTicks = centralPids.stream().mapToLong(pid -> cpuTicks(ProcessHandle.of(pid).orElseThrow())).sum();
      Map<String, String> r = wrk(url, auth, seconds);
      applianceTicks = cpuTicks(appliance.toHandle()) - applianceTicks;
      centralTicks = centralPids.stream().mapToLong(pid -> cpuTicks(ProcessHandle.of(pid).orElseThrow())).sum() - centralTicks;
      long ok = Long.parseLong(r.get("ok"));
      long pushedAtEnd = central == null ? 0 : central.count(CentralCluster.ACTIVATIONS);
      long made = central == null ? 0 : awaitRecorded(wsk);
      double rps = ok / Double.parseDouble(r.get("seconds"));
      return new Phase(rps, Long.parseLong(r.get("p50_us")) / 1000.0, Long.parseLong(r.get("status_errors")),
          made, pushedAtEnd, applianceTicks * MS_PER_TICK / Math.max(1, ok), centralTicks * MS_PER_TICK / Math.max(1, ok));
    } finally {
      appliance.destroy();
      if (!appliance.waitFor(60, TimeUnit.SECONDS)) {
        appliance.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** The activations recorded at the gateway, once the count stops moving (records are written in batches). */
  private static long awaitRecorded(Rest wsk) throws InterruptedException {
    long last = -1;
    long now = count(wsk);
    while (now != last) {
      Thread.sleep(1000);
      last = now;
      now = count(wsk);
    }
    return now;
  }

  private static long count(Rest wsk) {
    Rest.Reply r = wsk.get("/api/v1/namespaces/_/activations?count=true");
    check(r.status() == 200, "counting activations: " + r);
    return r.json().getLong("activations");
  }

  /** Runs wrk with packaging/bench.lua; answers its BENCH_RESULT fields. */
  private Map<String, String> wrk(String url, String auth, int duration) throws IOException, InterruptedException {
    ProcessBuilder b = new ProcessBuilder("wrk", "-t2", "-c32", "-d" + duration + "s", "--timeout", "10s", "-s", lua.toString(), url)
        .redirectErrorStream(true);
    b.environment().putAll(Map.of("BENCH_METHOD", "POST", "BENCH_AUTH", auth, "BENCH_BODY", ""));
    Process p = b.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    check(p.waitFor(duration + 60L, TimeUnit.SECONDS) && p.exitValue() == 0, "wrk failed: " + out);
    String line = out.lines().filter(l -> l.startsWith("BENCH_RESULT ")).findFirst()
        .orElseThrow(() -> new IllegalStateException("wrk printed no result: " + out));
    Map<String, String> fields = new java.util.HashMap<>();
    for (String kv : line.substring("BENCH_RESULT ".length()).split(" ")) {
      fields.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    return fields;
  }

  private void awaitPing(Process appliance, int port, String name) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      check(appliance.isAlive(), "the appliance (sync " + name + ") exited: " + Files.readString(work.resolve(name + ".out")));
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
    throw new IllegalStateException("the appliance (sync " + name + ") did not answer /ping within 120 s");
  }

  /** CPU time (user + system) of a process and its descendants so far, in clock ticks (/proc/PID/stat). */
  private static long cpuTicks(ProcessHandle process) {
    long ticks = 0;
    for (ProcessHandle p : java.util.stream.Stream.concat(java.util.stream.Stream.of(process), process.descendants()).toList()) {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
      } catch (IOException gone) {
        // exited meanwhile
      }
    }
    return ticks;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }
}
