package io.edgewhisk.mqtt.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

/**
 * The broker's soak: the embedded broker (its own JVM, the appliance's heap and collector, the shipped bounds)
 * under a steady QoS 1 stream (4 publishers, 1 KB, 2,000 msg/s, one subscriber that reads) while a subscriber
 * that never reads (QoS 0 and QoS 1) and a persistent session that never comes back match every message.
 * Every 10 s it samples the broker's resident memory, its store's disk use and its $SYS counters (queue
 * memory, drops); prints the samples and their start/min/max/end. Bounded means: flat after the queues fill.
 * Args: [seconds, default 600].
 */
public final class BrokerSoak {
  private BrokerSoak() {}

  private record Sample(long second, long rssKb, long diskKb, long queueMemory, long dropped, long sent) {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 600;
    Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "soak");
    int port = BrokerBenchmark.freePort();
    Process broker = BrokerBenchmark.startEmbedded(work, port);
    List<Socket> idle = new ArrayList<>();
    try {
      BrokerBenchmark.await(port);
      Map<String, String> sys = new ConcurrentHashMap<>();
      Socket watcher = connect(port, "soak-sys", true);
      LoadGenerator.subscribe(watcher, "$SYS/broker/#", 0);
      Thread w = new Thread(() -> watch(watcher, sys), "soak-sys");
      w.setDaemon(true);
      w.start();
      // a persistent session (3.1.1, clean session off) that subscribes and never comes back
      Socket gone = connect(port, "soak-gone", false);
      LoadGenerator.subscribe(gone, "bench/#", 1);
      LoadGenerator.write(gone.getOutputStream(), 0xE0, new byte[0]);
      gone.close();
      for (int qos = 0; qos <= 1; qos++) {
        Socket s = connect(port, "soak-stuck-" + qos, true);
        LoadGenerator.subscribe(s, "bench/#", qos); // and never reads again
        idle.add(s);
      }
      idle.add(watcher);
      AtomicReference<LoadGenerator.Result> result = new AtomicReference<>();
      Thread load = new Thread(() -> {
        try {
          result.set(LoadGenerator.run(new LoadGenerator.Run("127.0.0.1", port, 4, 1, 1, 1024, seconds, 2000)));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, "soak-load");
      load.start();
      List<Sample> samples = new ArrayList<>();
      long start = System.nanoTime();
      while (load.isAlive()) {
        long t = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        samples.add(new Sample(t, rssKb(broker.pid()), diskKb(work.resolve("state")),
            number(sys.get("$SYS/broker/queue/memory-bytes")), number(sys.get("$SYS/broker/messages/dropped")),
            number(sys.get("$SYS/broker/messages/sent"))));
        System.out.println(samples.get(samples.size() - 1));
        for (Socket s : idle) {
          LoadGenerator.write(s.getOutputStream(), 0xC0, new byte[0]); // PINGREQ: alive, though never reading
        }
        load.join(10_000);
      }
      print(samples, result.get());
    } finally {
      for (Socket s : idle) {
        s.close();
      }
      broker.destroy();
      broker.waitFor(10, TimeUnit.SECONDS);
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void print(List<Sample> samples, LoadGenerator.Result r) throws IOException {
    List<String> rows = new ArrayList<>();
    rows.add("| t s | broker RSS MB | store disk MB | queue memory MB ($SYS) | dropped ($SYS) | sent ($SYS) |");
    rows.add("|---|---|---|---|---|---|");
    for (Sample s : samples) {
      rows.add(String.format("| %d | %.1f | %.2f | %.2f | %d | %d |", s.second(), s.rssKb() / 1024.0,
          s.diskKb() / 1024.0, s.queueMemory() / 1048576.0, s.dropped(), s.sent()));
    }
    rows.add("");
    rows.add("| | start | min | max | end |");
    rows.add("|---|---|---|---|---|");
    rows.add(summary("broker RSS MB", samples, Sample::rssKb, 1024.0));
    rows.add(summary("store disk MB", samples, Sample::diskKb, 1024.0));
    rows.add(summary("queue memory MB", samples, Sample::queueMemory, 1048576.0));
    rows.add("");
    rows.add(String.format("Reading subscriber: %.0f msg/s delivered, p50 %.2f ms, p99 %.2f ms, %d sent, %d delivered",
        r.deliveredPerSecond(), r.p50Millis(), r.p99Millis(), r.sent(), r.delivered()));
    String table = String.join("\n", rows);
    System.out.println(table);
    Files.writeString(Path.of("target", "broker-soak.md"), table + "\n");
  }

  private static String summary(String name, List<Sample> samples, ToLongFunction<Sample> f, double unit) {
    long min = samples.stream().mapToLong(f).min().orElse(0);
    long max = samples.stream().mapToLong(f).max().orElse(0);
    return String.format("| %s | %.1f | %.1f | %.1f | %.1f |", name, f.applyAsLong(samples.get(0)) / unit,
        min / unit, max / unit, f.applyAsLong(samples.get(samples.size() - 1)) / unit);
  }

  private static Socket connect(int port, String clientId, boolean clean) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer body = ByteBuffer.allocate(12 + id.length);
    body.putShort((short) 4).put("MQTT".getBytes(StandardCharsets.US_ASCII)).put((byte) 4)
        .put((byte) (clean ? 0x02 : 0x00)).putShort((short) 60).putShort((short) id.length).put(id);
    LoadGenerator.write(s.getOutputStream(), 0x10, body.array());
    byte[] ack = new DataInputStream(s.getInputStream()).readNBytes(4);
    if (ack.length != 4 || ack[3] != 0) {
      throw new IOException("CONNECT refused");
    }
    return s;
  }

  /** Reads $SYS publications (QoS 0) into topic -> value. */
  private static void watch(Socket s, Map<String, String> sys) {
    try {
      DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
      while (true) {
        int header = in.readUnsignedByte();
        byte[] body = in.readNBytes(LoadGenerator.readLength(in));
        if ((header & 0xF0) == 0x30) {
          int topicLength = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
          sys.put(new String(body, 2, topicLength, StandardCharsets.UTF_8),
              new String(body, 2 + topicLength, body.length - 2 - topicLength, StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      // closed at the end
    }
  }

  private static long number(String value) {
    return value == null ? -1 : Long.parseLong(value.split(" ")[0]);
  }

  private static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static long diskKb(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum() / 1024;
    }
  }
}
