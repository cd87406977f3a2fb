package io.edgewhisk.mqtt.bench;

import io.edgewhisk.mqtt.it.IdleConnections;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The broker benchmark: the embedded broker (its own JVM with the appliance's heap and collector, durable
 * store) and Debian's Mosquitto (its own process, no persistence file, default limits) under the same load, in
 * the same run, row by row: QoS 0 and 1, 64 B and 1 KB, 1->1, 32->1 and 1->32. Then latency at half of the saturated 1->1 QoS 1 rate. Prints a Markdown table.
 * Last, with a fresh broker of each kind (so that the load before does not count), the resident memory 10,000
 * idle connections add to each ({@link IdleConnections}).
 * Args: [seconds per row, default 5].
 */
public final class BrokerBenchmark {
  static final int IDLE_CONNECTIONS = 10_000;

  private BrokerBenchmark() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bench");
    try (Brokers brokers = Brokers.start(work)) {
      int ewPort = brokers.embeddedPort();
      int mqPort = brokers.mosquittoPort();
      String host = "127.0.0.1";
      // warm-up of the JIT on both sides of the embedded broker
      LoadGenerator.run(new LoadGenerator.Run(host, ewPort, 4, 4, 1, 64, Math.min(5, seconds), 0));
      List<String> rows = new ArrayList<>();
      rows.add("| QoS | payload | shape | EdgeWhisk msg/s | Mosquitto msg/s | ratio | EdgeWhisk p99 ms | Mosquitto p99 ms |");
      rows.add("|---|---|---|---|---|---|---|---|");
      for (int qos : new int[] {0, 1}) {
        for (int size : new int[] {64, 1024}) {
          for (int[] shape : new int[][] {{1, 1}, {32, 1}, {1, 32}}) {
            LoadGenerator.Result e = LoadGenerator.run(new LoadGenerator.Run(host, ewPort, shape[0], shape[1], qos, size, seconds, 0));
            LoadGenerator.Result m = LoadGenerator.run(new LoadGenerator.Run(host, mqPort, shape[0], shape[1], qos, size, seconds, 0));
            String row = String.format("| %d | %d B | %d->%d | %.0f | %.0f | %.2f | %.1f | %.1f |", qos, size, shape[0],
                shape[1], e.deliveredPerSecond(), m.deliveredPerSecond(), e.deliveredPerSecond() / m.deliveredPerSecond(),
                e.p99Millis(), m.p99Millis());
            rows.add(row);
            System.out.println(row);
          }
        }
      }
      LoadGenerator.Result sat = LoadGenerator.run(new LoadGenerator.Run(host, ewPort, 1, 1, 1, 64, seconds, 0));
      long half = (long) (sat.deliveredPerSecond() / 2);
      LoadGenerator.Result e = LoadGenerator.run(new LoadGenerator.Run(host, ewPort, 1, 1, 1, 64, seconds, half));
      LoadGenerator.Result m = LoadGenerator.run(new LoadGenerator.Run(host, mqPort, 1, 1, 1, 64, seconds, half));
      rows.add("");
      rows.add(String.format("Latency at half of EdgeWhisk's saturated 1->1 QoS 1 rate (%d msg/s): EdgeWhisk p50 %.2f ms,"
          + " p99 %.2f ms; Mosquitto p50 %.2f ms, p99 %.2f ms", half, e.p50Millis(), e.p99Millis(), m.p50Millis(),
          m.p99Millis()));
      rows.add(idleConnections(work.resolve("idle")));
      String table = String.join("\n", rows);
      System.out.println(table);
      Files.writeString(Path.of("target", "broker-benchmark.md"), table + "\n");
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** What 10,000 idle connections add to a fresh embedded broker and to a fresh Mosquitto, one after the other. */
  private static String idleConnections(Path work) throws Exception {
    Files.createDirectories(work);
    try (Brokers brokers = Brokers.start(work)) {
      long ew = idleBytesEach(brokers.embeddedPort(), brokers.embedded().pid());
      long mq = idleBytesEach(brokers.mosquittoPort(), brokers.mosquitto().pid());
      String line = String.format("Idle connections (%d, to a fresh broker of each kind; its resident memory growth):"
          + " EdgeWhisk %d bytes each, Mosquitto %d bytes each", IDLE_CONNECTIONS, ew, mq);
      System.out.println(line);
      return line;
    }
  }

  /** What each of {@link #IDLE_CONNECTIONS} anonymous idle connections adds to the broker on {@code port}. */
  private static long idleBytesEach(int port, long pid) throws Exception {
    try (IdleConnections idle = IdleConnections.open(port, pid, IDLE_CONNECTIONS, null, null)) {
      return idle.bytesEach();
    }
  }

  /** The embedded broker and Mosquitto, each a process of its own on a free port of 127.0.0.1, listening. */
  private record Brokers(Process embedded, int embeddedPort, Process mosquitto, int mosquittoPort)
      implements AutoCloseable {
    static Brokers start(Path work) throws Exception {
      int ewPort = freePort();
      int mqPort = freePort();
      Process embedded = startEmbedded(work, ewPort);
      Process mosquitto;
      try {
        mosquitto = startMosquitto(work, mqPort);
      } catch (IOException e) {
        embedded.destroy();
        throw e;
      }
      Brokers brokers = new Brokers(embedded, ewPort, mosquitto, mqPort);
      try {
        await(ewPort);
        await(mqPort);
        return brokers;
      } catch (Exception e) {
        brokers.close();
        throw e;
      }
    }

    @Override
    public void close() throws InterruptedException {
      mosquitto.destroy();
      embedded.destroy();
      mosquitto.waitFor(10, TimeUnit.SECONDS);
      embedded.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Debian's Mosquitto on {@code port}: anonymous, no persistence file, its default limits. */
  private static Process startMosquitto(Path work, int port) throws IOException {
    Path conf = work.resolve("mosquitto.conf");
    Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
    return new ProcessBuilder("mosquitto", "-c", conf.toString()).redirectErrorStream(true)
        .redirectOutput(work.resolve("mosquitto.log").toFile()).start();
  }

  /** The embedded broker in a JVM of its own, with the heap and collector the appliance's launcher gives it. */
  static Process startEmbedded(Path work, int port) throws IOException {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // as packaging/src/dist/bin/edgewhisk runs the appliance
        "-XX:+UseSerialGC", "-Xms16m", "-Xmx384m", "-Dorg.sqlite.tmpdir=" + work,
        "-Dvertx.cacheDirBase=" + work.resolve("vertx"), "-cp", System.getProperty("java.class.path"),
        StandaloneBroker.class.getName(), Integer.toString(port), work.resolve("state").toString())
        .redirectErrorStream(true).redirectOutput(work.resolve("embedded.log").toFile()).start();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void await(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("nothing listens on " + port);
  }
}
