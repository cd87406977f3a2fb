package io.edgewhisk.sync.e2e;

import io.edgewhisk.sync.testing.KafkaNode;
import io.edgewhisk.sync.testing.PouchDbServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * What running fleet sync online costs the gateway: the packaged appliance ({@code bin/edgewhisk serve}, as
 * installed) under wrk's blocking invocations of a warm no-op action at 32 connections, with sync off and
 * with sync on and online (pouchdb-server and a one-node Kafka on 127.0.0.1, every activation pushed to both
 * while the load runs). The ratio of the medians of the two modes' rates is the figure (target: sync on
 * keeps >= 90 % of the throughput). Not a test: run by {@code bash sync/bench.sh}.
 *
 * <p>Both appliances run for the whole benchmark, and only one is loaded at a time, so that each is warmed up
 * once: each is loaded until its JIT compiler has (nearly) finished (a JVM compiles for its first 20-90 s
 * under load, longer on a busy machine, and a sync-on appliance has more code to compile: measured right
 * after start, the difference in compiling would pass for a cost of sync). Then rounds of one phase per
 * mode, the order alternating (off-on, on-off, ...); each phase starts with a short unmeasured load (the
 * action's container may have been paused while idle). After a sync-on phase the benchmark waits until the
 * central database holds every activation made, so that no push work of one phase falls into the next.
 * CPU is counted per process from /proc: the loaded appliance's JVM (all threads, and without its JIT threads;
 * not Podman's service, which one of the appliances may have started as its child but which serves both), the idle
 * one's, and pouchdb-server with Kafka (which a gateway does not run, but which share these cores).
 * And the gateway's CPU per invocation: the loaded appliance's JVM with Podman's part of its work (its containers'
 * conmon monitors with the action's Node.js under them, and Podman's API service), which is what a gateway runs;
 * not wrk, not the central servers, not other builds on the machine. On a gateway whose cores are saturated,
 * throughput is the cores over that figure, so its ratio (sync off over sync on) is the throughput a gateway
 * keeps with sync on, where the rate ratio of this machine also pays for the central servers on the same cores.
 *
 * <p>Arguments: the distribution folder, seconds per phase, rounds, the wrk script
 * ({@code packaging/bench.lua}). Environment: {@code BENCH_SYNC_VARIANTS} (more sync-on appliances: see
 * {@link #variants()}), {@code BENCH_WARMUP_MAX} (s, default 180), {@code BENCH_JAVA_OPTS} (see
 * {@link BenchAppliance}). Prints a table and one line
 * {@code BENCH_SYNC off_rps=… on_rps=… ratio=… pushed=… made=…} (of the first sync-on appliance) for a caller
 * to parse.
 */
public final class SyncOverheadBenchmark {
  private static final int WARM_SLICE_S = 5;
  /** Warm when the JIT compiler threads took less than this share of the appliance's CPU in a slice. */
  private static final double WARM_JIT_SHARE = 0.05;
  private static final int REWARM_S = 2;

  private final Path dist;
  private final int seconds;
  private final Path lua;
  private final Path work;
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
    try {
      new SyncOverheadBenchmark(dist, seconds, lua, work).run(rounds);
    } finally {
      E2eTeardown.deleteTree(work);
    }
    System.exit(0); // the Kafka admin client's threads are not daemons
  }

  /** One measured phase: the loaded appliance's rate and CPU, the idle ones', the central servers'. */
  private record Phase(Mode mode, double rps, double p50Ms, long errors, double cpuMs, double cpuNoJitMs,
      double couchCpuMs, double kafkaCpuMs, double idleCpuShare, double gatewayCpuMs, long made, long pushedAtEnd,
      double catchUpS) {}

  /** An appliance under test: sync off, or sync on with some settings pushing to its own database and topic. */
  private record Mode(String name, String settings, BenchAppliance appliance, String activationsDb) {
    boolean sync() {
      return activationsDb != null;
    }
  }

  /** The central servers, and what the appliances need to reach them. */
  private record Central(CentralCouch couch, String couchUrl, Path passwordFile, String kafkaServers,
      ProcessHandle couchProcess, ProcessHandle kafkaProcess) {}

  private void run(int rounds) throws Exception {
    String load = loadAverage();
    try (PouchDbServer couchServer = PouchDbServer.inMemory(); KafkaNode kafka = KafkaNode.start()) {
      String password = UUID.randomUUID().toString();
      couchServer.addAdmin("central", password);
      CentralCouch couch = new CentralCouch(couchServer.url(), "central", password);
      for (String db : List.of(CentralCluster.WHISKS, CentralCluster.SUBJECTS)) {
        couch.createDatabase(db);
      }
      Central central = new Central(couch, couchServer.url(), Files.writeString(work.resolve("couch.pw"), password + "\n"),
          kafka.bootstrapServers(), ProcessHandle.of(couchServer.process().pid()).orElseThrow(),
          ProcessHandle.of(kafka.process().pid()).orElseThrow());
      List<Mode> modes = new ArrayList<>();
      try {
        modes.add(new Mode("off", "", BenchAppliance.start(dist, work, "off", """
            edgewhisk.mqtt.enabled = false
            edgewhisk.sync.enabled = false
            """), null));
        List<String> variants = variants();
        for (int i = 0; i < variants.size(); i++) {
          modes.add(startSyncOn(variants.size() == 1 ? "on" : "on" + (i + 1), i, variants.get(i).strip(), central));
        }
        for (Mode m : modes) {
          warm(m.appliance());
          if (m.sync()) {
            awaitPushed(m, couch);
          }
        }
        report(rounds, modes, rounds(rounds, modes, central), couch, load);
      } finally {
        for (Mode m : modes) {
          m.appliance().close();
        }
      }
    }
  }

  /** A sync-on appliance pushing to its own activations database and events topic. */
  private Mode startSyncOn(String name, int index, String variant, Central central) throws Exception {
    String db = CentralCluster.ACTIVATIONS + (index == 0 ? "" : "_" + index);
    central.couch().createDatabase(db);
    // "@FOLDER settings": this appliance from another distribution (e.g. the code before a change)
    Path from = variant.startsWith("@") ? Path.of(variant.split("\\s+", 2)[0].substring(1)).toAbsolutePath() : dist;
    String settings = variant.startsWith("@") ? (variant + " ").split("\\s+", 2)[1] : variant;
    return new Mode(name, variant, BenchAppliance.start(from, work, name, """
        edgewhisk.mqtt.enabled = false
        edgewhisk.sync {
          enabled = true
          device-id = gw-bench-%s
          labels = [bench]
          couchdb { url = "%s", username = central, password-file = "%s", activations-db = %s }
          kafka { bootstrap-servers = "%s", events-topic = events-%s }
          %s
        }
        """.formatted(name, central.couchUrl(), central.passwordFile(), db, central.kafkaServers(), name, settings)), db);
  }

  /** Rounds of one phase per mode, the order reversed every other round. */
  private List<Phase> rounds(int rounds, List<Mode> modes, Central central) throws Exception {
    List<Phase> phases = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      List<Mode> order = new ArrayList<>(modes);
      if (r % 2 == 1) {
        Collections.reverse(order);
      }
      for (Mode m : order) {
        List<ProcessHandle> idle = modes.stream().filter(o -> o != m).map(o -> o.appliance().handle()).toList();
        Phase p = phase(m, idle, central.couchProcess(), central.kafkaProcess(), central.couch());
        phases.add(p);
        log.add(describe(r + 1, p));
        System.err.println("sync-bench: " + log.get(log.size() - 1));
      }
    }
    return phases;
  }

  /**
   * The sync settings to compare, one appliance each: BENCH_SYNC_VARIANTS, HOCON snippets inside
   * {@code edgewhisk.sync} separated by "|" (e.g. "|push.linger = 1s": the defaults, and a linger of 1 s),
   * each optionally after "@FOLDER " to run that appliance from another distribution folder (the code before a
   * change, say); by default the defaults alone.
   */
  private static List<String> variants() {
    String v = System.getenv().getOrDefault("BENCH_SYNC_VARIANTS", "");
    return List.of(v.split("\\|", -1));
  }

  /** Loads the appliance in slices until its JIT compiler threads are (nearly) idle, or BENCH_WARMUP_MAX. */
  private void warm(BenchAppliance a) throws Exception {
    int max = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP_MAX", "180"));
    long began = System.nanoTime();
    double share = 1;
    int slices = 0;
    while (share >= WARM_JIT_SHARE && slices * WARM_SLICE_S < max) {
      long all = ProcessCpu.ownTicks(a.handle());
      long jit = ProcessCpu.jitTicks(a.handle());
      wrk(a, WARM_SLICE_S);
      share = (ProcessCpu.jitTicks(a.handle()) - jit) / (double) Math.max(1, ProcessCpu.ownTicks(a.handle()) - all);
      slices++;
    }
    String line = String.format(Locale.ROOT, "warm-up of sync %s: %d s under load, the JIT compiler's share of its CPU"
        + " in the last %d s %.1f %%%s", a.name, (System.nanoTime() - began) / 1_000_000_000L, WARM_SLICE_S, 100 * share,
        share >= WARM_JIT_SHARE ? " (still compiling at BENCH_WARMUP_MAX)" : "");
    log.add(line);
    System.err.println("sync-bench: " + line);
  }

  /** Loads the mode's appliance for the phase; the others idle. */
  private Phase phase(Mode m, List<ProcessHandle> idle, ProcessHandle couchProcess, ProcessHandle kafkaProcess,
      CentralCouch couch) throws Exception {
    BenchAppliance loaded = m.appliance();
    wrk(loaded, REWARM_S);
    if (m.sync()) {
      awaitPushed(m, couch);
    }
    long all = ProcessCpu.ownTicks(loaded.handle());
    long jit = ProcessCpu.jitTicks(loaded.handle());
    long idleTicks = ProcessCpu.ownTicks(idle);
    long couchTicks = ProcessCpu.ticks(couchProcess);
    long kafkaTicks = ProcessCpu.ticks(kafkaProcess);
    long podmanTicks = ProcessCpu.podmanTicks(loaded.instanceId());
    System.err.println("sync-bench: measuring sync " + m.name() + " from " + java.time.Instant.now());
    long began = System.nanoTime();
    Map<String, String> r = wrk(loaded, seconds);
    double elapsedS = (System.nanoTime() - began) / 1e9;
    all = ProcessCpu.ownTicks(loaded.handle()) - all;
    jit = ProcessCpu.jitTicks(loaded.handle()) - jit;
    idleTicks = ProcessCpu.ownTicks(idle) - idleTicks;
    couchTicks = ProcessCpu.ticks(couchProcess) - couchTicks;
    kafkaTicks = ProcessCpu.ticks(kafkaProcess) - kafkaTicks;
    long gatewayTicks = all + ProcessCpu.podmanTicks(loaded.instanceId()) - podmanTicks;
    long ok = Long.parseLong(r.get("ok"));
    double perOk = ProcessCpu.MS_PER_TICK / Math.max(1, ok);
    long pushedAtEnd = m.sync() ? couch.count(m.activationsDb()) : 0;
    long made = m.sync() ? loaded.awaitRecorded() : 0;
    double catchUpS = 0;
    if (m.sync()) {
      long waited = System.nanoTime();
      awaitPushed(m, couch);
      catchUpS = (System.nanoTime() - waited) / 1e9;
    }
    return new Phase(m, ok / Double.parseDouble(r.get("seconds")), Long.parseLong(r.get("p50_us")) / 1000.0,
        Long.parseLong(r.get("status_errors")), all * perOk, (all - jit) * perOk, couchTicks * perOk, kafkaTicks * perOk,
        idleTicks * ProcessCpu.MS_PER_TICK / 1000 / elapsedS, gatewayTicks * perOk, made, pushedAtEnd, catchUpS);
  }

  /** Waits (up to 5 minutes) until the mode's central database holds every activation its appliance recorded. */
  private static long awaitPushed(Mode m, CentralCouch couch) throws InterruptedException {
    long made = m.appliance().awaitRecorded();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    long pushed = couch.count(m.activationsDb());
    while (pushed < made && System.nanoTime() < deadline) {
      Thread.sleep(200);
      pushed = couch.count(m.activationsDb());
    }
    return pushed;
  }

  private static String describe(int round, Phase p) {
    return String.format(Locale.ROOT, "round %d sync %-4s %7.0f blocking invokes/s (p50 %.2f ms, >=400: %d); CPU per"
            + " invocation: gateway %.3f ms, of it the appliance %.3f ms (%.3f ms without its JIT); pouchdb-server %.3f ms,"
            + " Kafka %.3f ms; the idle appliances %.1f %% of a core%s",
        round, p.mode().name(), p.rps(), p.p50Ms(), p.errors(), p.gatewayCpuMs(), p.cpuMs(), p.cpuNoJitMs(), p.couchCpuMs(),
        p.kafkaCpuMs(), 100 * p.idleCpuShare(), p.mode().sync() ? String.format(Locale.ROOT, "; %d of %d activations"
            + " central when the load stopped, all %.1f s later", p.pushedAtEnd(), p.made(), p.catchUpS()) : "");
  }

  private void report(int rounds, List<Mode> modes, List<Phase> phases, CentralCouch couch, String load)
      throws Exception {
    Mode off = modes.get(0);
    double offRps = median(phases, off, Phase::rps);
    double offCpu = median(phases, off, Phase::cpuMs);
    double offNoJit = median(phases, off, Phase::cpuNoJitMs);
    double offGateway = median(phases, off, Phase::gatewayCpuMs);
    System.out.println();
    log.forEach(System.out::println);
    System.out.printf(Locale.ROOT, "%nblocking invokes/s at 32 connections, median of %d phases of %d s each:%n", rounds, seconds);
    System.out.printf(Locale.ROOT, "  sync off (baseline)   %8.0f /s; CPU per invocation: the gateway %.3f ms, the appliance %.3f ms"
        + " (%.3f ms without JIT)%n", offRps, offGateway, offCpu, offNoJit);
    String bench = "";
    for (Mode m : modes.subList(1, modes.size())) {
      double rps = median(phases, m, Phase::rps);
      double cpu = median(phases, m, Phase::cpuMs);
      double noJit = median(phases, m, Phase::cpuNoJitMs);
      double couchCpu = median(phases, m, Phase::couchCpuMs);
      double kafkaCpu = median(phases, m, Phase::kafkaCpuMs);
      double gateway = median(phases, m, Phase::gatewayCpuMs);
      long pushed = awaitPushed(m, couch);
      long made = m.appliance().awaitRecorded();
      System.out.printf(Locale.ROOT, "  sync %-4s%s%n", m.name(), m.settings().isBlank() ? " (defaults)" : " (" + m.settings().strip() + ")");
      System.out.printf(Locale.ROOT, "    %8.0f /s   ratio %.3f on this machine, the central servers on the same cores%n",
          rps, rps / offRps);
      System.out.printf(Locale.ROOT, "    the gateway's CPU per invocation %.3f ms: the throughput a gateway keeps %.3f (%s: target >= 0.90,"
          + " cost <= 10 %%)%n", gateway, offGateway / gateway, offGateway / gateway >= 0.9 ? "pass" : "MISS");
      System.out.printf(Locale.ROOT, "    appliance CPU per invocation %.3f ms: %.3f x sync off (without JIT threads %.3f ms: %.3f x)%n",
          cpu, cpu / offCpu, noJit, noJit / offNoJit);
      System.out.printf(Locale.ROOT, "    the central servers (on this machine, not on a gateway) per invocation: pouchdb-server %.3f ms,"
          + " Kafka %.3f ms%n", couchCpu, kafkaCpu);
      System.out.printf(Locale.ROOT, "    its activations in the central database: %d of %d%n", pushed, made);
      if (bench.isEmpty()) {
        bench = String.format(Locale.ROOT, "BENCH_SYNC off_rps=%.0f on_rps=%.0f ratio=%.3f off_cpu_ms=%.3f on_cpu_ms=%.3f"
            + " cpu_ratio=%.3f off_cpu_nojit_ms=%.3f on_cpu_nojit_ms=%.3f couch_cpu_ms=%.3f kafka_cpu_ms=%.3f"
            + " off_gateway_ms=%.3f on_gateway_ms=%.3f gateway_ratio=%.3f pushed=%d made=%d",
            offRps, rps, rps / offRps, offCpu, cpu, cpu / offCpu, offNoJit, noJit, couchCpu, kafkaCpu, offGateway, gateway,
            offGateway / gateway, pushed, made);
      }
      if (pushed < made) {
        throw new IllegalStateException("only " + pushed + " of " + made + " activations reached the central database");
      }
    }
    System.out.printf(Locale.ROOT, "  %d cores shared with wrk, pouchdb-server and Kafka; load average at start %s, at end %s%n",
        Runtime.getRuntime().availableProcessors(), load, loadAverage());
    System.out.println(bench);
  }

  /** Runs wrk with packaging/bench.lua against the appliance; answers its BENCH_RESULT fields. */
  private Map<String, String> wrk(BenchAppliance a, int duration) throws IOException, InterruptedException {
    ProcessBuilder b = new ProcessBuilder("wrk", "-t2", "-c32", "-d" + duration + "s", "--timeout", "10s", "-s",
        lua.toString(), a.url()).redirectErrorStream(true);
    b.environment().putAll(Map.of("BENCH_METHOD", "POST", "BENCH_AUTH", a.auth(), "BENCH_BODY", ""));
    Process p = b.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    BenchAppliance.check(p.waitFor(duration + 60L, TimeUnit.SECONDS) && p.exitValue() == 0, "wrk failed: " + out);
    String line = out.lines().filter(l -> l.startsWith("BENCH_RESULT ")).findFirst()
        .orElseThrow(() -> new IllegalStateException("wrk printed no result: " + out));
    Map<String, String> fields = new java.util.HashMap<>();
    for (String kv : line.substring("BENCH_RESULT ".length()).split(" ")) {
      fields.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    return fields;
  }

  private static String loadAverage() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).strip();
  }

  private static double median(List<Phase> phases, Mode mode, ToDoubleFunction<Phase> value) {
    double[] sorted = phases.stream().filter(p -> p.mode() == mode).mapToDouble(value).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
