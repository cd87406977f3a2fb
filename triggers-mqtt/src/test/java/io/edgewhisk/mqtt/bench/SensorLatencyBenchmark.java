package io.edgewhisk.mqtt.bench;

import io.edgewhisk.mqtt.it.ChildAppliance;
import io.edgewhisk.mqtt.it.EmbeddedBroker;
import io.edgewhisk.mqtt.it.PodmanLeftovers;
import io.edgewhisk.mqtt.it.WhiskRest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A sensor message to the finished activation of a warm no-op action (issue 9's target: p50 ≤ 3 ms), on a real
 * appliance ({@link ChildAppliance}: the embedded broker, real Podman): a trigger fed by
 * {@code /whisk.system/mqtt/subscribe}, a rule to {@code function main() { return {}; }}. A Paho publisher sends
 * QoS 1 messages one at a time at a modest rate; for each, the time from just before its PUBLISH to the action
 * activation's {@code end} (the moment the invoker had the container's answer, as the record says; the same
 * clock, this machine's). Each message carries its sequence number; the trigger activation's result holds it,
 * and the action activation names the trigger activation as its {@code cause}, so nothing is matched by order.
 * The records give the way there too: PUBACK (the fire durably accepted), the trigger activation's start (the
 * fire reached the core), the action activation's start (its {@code /run} began).
 *
 * <p>Same-run baselines, interleaved with it round by round: a blocking invoke of the same action over HTTP
 * (request to answer, at the client) and a QoS 1 round trip through the same broker (publish to a subscriber's
 * arrival, one JVM). Records carry milliseconds: a time taken from one is its millisecond plus 0.5 (±0.5 ms).
 *
 * <p>The appliance runs with the launcher's JVM flags ({@link ChildAppliance#launcherFlags}: its collector, heap
 * sizing and compile threshold; without them the JVM picks G1 on this machine, which the package never runs).
 *
 * <p>Args: [messages, default 300] [messages per second, default 20] [warm-up, default 20000: sensor messages
 * and blocking invokes sent back to back before the measured rounds, so that the JIT has compiled the paths as
 * on a gateway that has run for a while; every other row of {@code packaging/bench.sh} is measured after such a
 * warm-up too]. Prints a Markdown table (also
 * {@code target/sensor-latency.md}) and a last line "Sensor to finished activation: p50 … ms, p99 … ms; …".
 */
public final class SensorLatencyBenchmark {
  private static final String NS = "guest/";
  private static final int ROUNDS = 3;
  private final WhiskRest wsk;
  private final String mqttUrl;
  private final long gapNanos;
  private final int warmUp;

  private SensorLatencyBenchmark(WhiskRest wsk, String mqttUrl, double rate, int warmUp) {
    this.wsk = wsk;
    this.mqttUrl = mqttUrl;
    this.gapNanos = (long) (1e9 / rate);
    this.warmUp = warmUp;
  }

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    double rate = args.length > 1 ? Double.parseDouble(args[1]) : 20;
    int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    Path state = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "sensor-bench");
    String instance = "mqtt-bench-" + UUID.randomUUID().toString().substring(0, 8);
    int port = ChildAppliance.freePort();
    List<String> flags = new ArrayList<>(List.of("-Dedgewhisk.invoker.instance-id=" + instance,
        "-Dedgewhisk.namespace-defaults.invocations-per-minute=100000000",
        "-Dedgewhisk.namespace-defaults.fires-per-minute=100000000",
        // the warm-up's rule invocations may queue behind its back-to-back messages
        "-Dedgewhisk.namespace-defaults.concurrent-invocations=100000"));
    flags.addAll(ChildAppliance.launcherFlags());
    ChildAppliance appliance = ChildAppliance.start(state, port, flags);
    try {
      String load = loadAverage();
      WhiskRest wsk = new WhiskRest(appliance.apiPort(), Files.readString(state.resolve("guest.key")).strip());
      SensorLatencyBenchmark bench = new SensorLatencyBenchmark(wsk, appliance.mqttUrl(), rate, warmUp);
      bench.deploy();
      String table = bench.measure(messages);
      table += "\nLoad average at the start: " + load + "; at the end: " + loadAverage();
      System.out.println(table);
      Files.writeString(Path.of("target", "sensor-latency.md"), table + "\n");
    } catch (Exception | AssertionError e) {
      System.err.println(appliance.output());
      throw e;
    } finally {
      appliance.close();
      PodmanLeftovers.remove(instance);
      try (var files = Files.walk(state)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void deploy() throws Exception {
    check(wsk.put(NS + "actions/noop?overwrite=true", new JsonObject().put("exec", new JsonObject()
        .put("kind", "nodejs:default").put("code", "function main() { return {}; }"))));
    check(wsk.put(NS + "triggers/sensor?overwrite=true", new JsonObject().put("annotations",
        new JsonArray().add(new JsonObject().put("key", "feed").put("value", "/whisk.system/mqtt/subscribe")))));
    JsonObject feed = new JsonObject().put("lifecycleEvent", "CREATE").put("triggerName", "/guest/sensor")
        .put("authKey", wsk.key).put("topic", "bench/sensor").put("qos", 1);
    check(wsk.post("whisk.system/actions/mqtt/subscribe?blocking=true&result=true", feed));
    check(wsk.put(NS + "rules/on-sensor?overwrite=true",
        new JsonObject().put("trigger", "/guest/sensor").put("action", "/guest/noop")));
  }

  private String measure(int messages) throws Exception {
    MqttClient sensor = client("sensor");
    MqttClient echo = client("echo");
    BlockingQueue<Long> arrivals = new ArrayBlockingQueue<>(16);
    echo.setCallback(new Arrivals(arrivals));
    echo.subscribe("bench/echo", 1);
    // warm-up: the container started and warm, then the JIT through every path as on a gateway that has run
    // for a while (the launcher's CompileThresholdScaling=4 has C2 compile a method after ~20,000 calls)
    invokes(100);
    roundTrips(echo.getClientId(), sensor, arrivals, 100);
    sensorPhase(sensor, 0, 100);
    unpaced(sensor, warmUp);
    List<double[]> invoke = new ArrayList<>();
    List<Double> broker = new ArrayList<>();
    List<Sample> sensorSamples = new ArrayList<>();
    int each = Math.max(1, messages / ROUNDS);
    for (int round = 0; round < ROUNDS; round++) {
      invoke.addAll(invokes(each));
      broker.addAll(roundTrips(echo.getClientId(), sensor, arrivals, each));
      sensorSamples.addAll(sensorPhase(sensor, 1_000_000 * (round + 1), each));
    }
    sensor.disconnect();
    echo.disconnect();
    return report(sensorSamples, invoke, broker);
  }

  /**
   * The JIT's warm-up: {@code n} sensor messages and {@code n} blocking invokes back to back (each publish
   * returns at its PUBACK), then a pause for the rule's invocations still queued to run.
   */
  private void unpaced(MqttClient sensor, int n) throws Exception {
    byte[] payload = "{\"seq\":-1}".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < n; i++) {
      sensor.publish("bench/sensor", payload, 1, false);
      check(wsk.post(NS + "actions/noop?blocking=true", new JsonObject()));
    }
    Thread.sleep(3_000);
  }

  /**
   * Blocking invokes of the action over HTTP, paced: for each, ms from the request to the answer and from the
   * request to its activation's start (the answer is the record).
   */
  private List<double[]> invokes(int n) throws Exception {
    List<double[]> ms = new ArrayList<>(n);
    long next = System.nanoTime();
    for (int i = 0; i < n; i++) {
      next = pace(next);
      Instant at = Instant.now();
      long t0 = System.nanoTime();
      WhiskRest.Reply r = wsk.post(NS + "actions/noop?blocking=true", new JsonObject());
      double answer = (System.nanoTime() - t0) / 1e6;
      check(r);
      ms.add(new double[] {answer, r.json().getLong("start") + 0.5 - epochMillis(at),
          r.json().getLong("end") - r.json().getLong("start")});
    }
    return ms;
  }

  /** QoS 1 publish to a subscriber of the same broker, paced: milliseconds from publish to arrival. */
  private List<Double> roundTrips(String subscriber, MqttClient publisher, BlockingQueue<Long> arrivals, int n)
      throws Exception {
    List<Double> ms = new ArrayList<>(n);
    long next = System.nanoTime();
    for (int i = 0; i < n; i++) {
      next = pace(next);
      long t0 = System.nanoTime();
      publisher.publish("bench/echo", Integer.toString(i).getBytes(StandardCharsets.UTF_8), 1, false);
      Long at = arrivals.poll(30, TimeUnit.SECONDS);
      if (at == null) {
        throw new IllegalStateException(subscriber + " received no message within 30 s");
      }
      ms.add((at - t0) / 1e6);
    }
    return ms;
  }

  /** One sensor message at a time, paced; then each one's trigger and action records. */
  private List<Sample> sensorPhase(MqttClient sensor, int firstSeq, int n) throws Exception {
    Map<Integer, double[]> sent = new HashMap<>(); // seq -> {publish epoch ms, PUBACK ms}
    long since = System.currentTimeMillis() - 1;
    long next = System.nanoTime();
    for (int i = 0; i < n; i++) {
      next = pace(next);
      int seq = firstSeq + i;
      byte[] payload = ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
      Instant at = Instant.now();
      long t0 = System.nanoTime();
      sensor.publish("bench/sensor", payload, 1, false); // returns at the PUBACK: the fire is durably accepted
      double ack = (System.nanoTime() - t0) / 1e6;
      sent.put(seq, new double[] {epochMillis(at), ack});
    }
    Map<String, Integer> seqOfFire = new HashMap<>();
    Map<Integer, Long> fireStart = new HashMap<>();
    for (JsonObject t : records("sensor", since, n)) {
      int seq = t.getJsonObject("response").getJsonObject("result").getJsonObject("payload").getInteger("seq");
      seqOfFire.put(t.getString("activationId"), seq);
      fireStart.put(seq, t.getLong("start"));
    }
    List<Sample> samples = new ArrayList<>(n);
    for (JsonObject a : records("noop", since, -1)) {
      Integer seq = seqOfFire.get(a.getString("cause"));
      if (seq == null) {
        continue; // a blocking invoke of the baseline
      }
      double[] s = sent.get(seq);
      samples.add(new Sample(s[1], fireStart.get(seq) + 0.5 - s[0], a.getLong("start") - waitTime(a) + 0.5 - s[0],
          a.getLong("start") + 0.5 - s[0], a.getLong("end") + 0.5 - s[0]));
    }
    if (samples.size() != n) {
      throw new IllegalStateException(n + " messages sent, " + samples.size() + " action activations caused by them");
    }
    return samples;
  }

  /** The records of {@code name} since {@code since}, waiting until there are {@code atLeast} (-1: as they are). */
  private List<JsonObject> records(String name, long since, int atLeast) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      List<JsonObject> all = new ArrayList<>();
      for (int skip = 0; ; skip += 200) {
        WhiskRest.Reply r = wsk.get(NS + "activations?name=" + name + "&docs=true&limit=200&skip=" + skip + "&since=" + since);
        check(r);
        JsonArray page = new JsonArray(r.body());
        page.forEach(o -> all.add((JsonObject) o));
        if (page.size() < 200) {
          break;
        }
      }
      if (all.size() >= atLeast) {
        return all;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + ": " + all.size() + " records, expected " + atLeast);
      }
      Thread.sleep(200);
    }
  }

  private String report(List<Sample> s, List<double[]> invoke, List<Double> broker) {
    double p50 = percentile(s.stream().mapToDouble(Sample::end).toArray(), 50);
    double p99 = percentile(s.stream().mapToDouble(Sample::end).toArray(), 99);
    List<String> rows = new ArrayList<>();
    rows.add("| " + s.size() + " QoS 1 sensor messages, one at a time | p50 ms | p99 ms |");
    rows.add("|---|---|---|");
    rows.add(row("publish -> PUBACK (the trigger fire durably accepted)", s.stream().mapToDouble(Sample::ack).toArray()));
    rows.add(row("publish -> trigger activation's start (the fire reached the core)",
        s.stream().mapToDouble(Sample::fire).toArray()));
    rows.add(row("publish -> the rule's invocation received by the controller (start - waitTime: waitTime ends at"
        + " the container's assignment, so this is late by that step at most)",
        s.stream().mapToDouble(Sample::received).toArray()));
    rows.add(row("publish -> action activation's start (its /run began)", s.stream().mapToDouble(Sample::start).toArray()));
    rows.add(row("publish -> action activation's end (finished)", s.stream().mapToDouble(Sample::end).toArray()));
    rows.add(row("the action's own duration (end - start, whole ms)", s.stream().mapToDouble(x -> x.end() - x.start()).toArray()));
    rows.add(row("baseline: blocking invoke of the same action over HTTP, request -> answer",
        invoke.stream().mapToDouble(x -> x[0]).toArray()));
    rows.add(row("baseline: the same, request -> its activation's start", invoke.stream().mapToDouble(x -> x[1]).toArray()));
    rows.add(row("baseline: the same, the action's own duration (whole ms)", invoke.stream().mapToDouble(x -> x[2]).toArray()));
    rows.add(row("baseline: QoS 1 publish -> subscriber through the same broker",
        broker.stream().mapToDouble(Double::doubleValue).toArray()));
    double invokeP50 = percentile(invoke.stream().mapToDouble(x -> x[0]).toArray(), 50);
    rows.add("");
    rows.add(String.format("Sensor to finished activation: p50 %.2f ms, p99 %.2f ms (target p50 <= 3 ms); blocking invoke"
        + " p50 %.2f ms (%.2fx); broker round trip p50 %.2f ms", p50, p99, invokeP50, p50 / invokeP50,
        percentile(broker.stream().mapToDouble(Double::doubleValue).toArray(), 50)));
    return String.join("\n", rows);
  }

  private static String row(String what, double[] ms) {
    return String.format("| %s | %.2f | %.2f |", what, percentile(ms, 50), percentile(ms, 99));
  }

  static double percentile(double[] values, double p) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v[Math.min(v.length - 1, (int) Math.ceil(p / 100 * v.length) - 1)];
  }

  private long pace(long next) throws InterruptedException {
    long wait = next - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
    return Math.max(next, System.nanoTime() - gapNanos) + gapNanos;
  }

  private MqttClient client(String name) throws Exception {
    MqttClient c = new MqttClient(mqttUrl, name + "-" + UUID.randomUUID(), new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setUserName(EmbeddedBroker.USER);
    o.setPassword(EmbeddedBroker.PASSWORD.toCharArray());
    o.setMaxInflight(16);
    c.connect(o);
    return c;
  }

  private static void check(WhiskRest.Reply r) {
    if (r.status() != 200) {
      throw new IllegalStateException(r.toString());
    }
  }

  private static double epochMillis(Instant at) {
    return at.getEpochSecond() * 1e3 + at.getNano() / 1e6;
  }

  private static String loadAverage() throws Exception {
    return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
  }

  /** The invoker's waitTime annotation: from the controller's receiving the invocation to a container's assignment. */
  private static long waitTime(JsonObject activation) {
    for (Object o : activation.getJsonArray("annotations")) {
      JsonObject kv = (JsonObject) o;
      if ("waitTime".equals(kv.getString("key"))) {
        return kv.getLong("value");
      }
    }
    throw new IllegalStateException("no waitTime annotation: " + activation.encode());
  }

  /**
   * One sensor message's times, ms after its publish: its PUBACK, the fire's start, the rule's invocation received
   * by the controller, the action's start and end.
   */
  private record Sample(double ack, double fire, double received, double start, double end) {}

  private record Arrivals(BlockingQueue<Long> queue) implements MqttCallback {
    @Override
    public void messageArrived(String topic, MqttMessage message) {
      queue.add(System.nanoTime());
    }

    @Override
    public void connectionLost(Throwable cause) {}

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}
  }
}
