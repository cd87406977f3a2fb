package io.edgewhisk.mqtt.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A real appliance (child JVM) whose embedded broker bridges to a real Mosquitto (child process), with Paho clients
 * on either side: what the bridge ITs share. Everything it starts, {@link #close} stops and removes.
 */
final class BridgeRig implements AutoCloseable {
  final Path state;
  final Mosquitto mosquitto;
  final int mqttPort;
  ChildAppliance appliance;
  private final List<MqttClient> clients = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  BridgeRig(String mosquittoExtra, boolean startMosquitto) throws Exception {
    this(port -> mosquittoExtra, startMosquitto);
  }

  /** {@code mosquittoExtra} is given the appliance's MQTT port (for a bridge of Mosquitto's own back to it). */
  BridgeRig(java.util.function.IntFunction<String> mosquittoExtra, boolean startMosquitto) throws Exception {
    state = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bridge-state");
    mqttPort = ChildAppliance.freePort();
    mosquitto = Mosquitto.prepare(state.resolve("mosquitto"), mosquittoExtra.apply(mqttPort));
    if (startMosquitto) {
      mosquitto.start();
    }
  }

  /** Starts (or restarts on the same state) the appliance with {@code edgewhisk.mqtt.bridges.m { bridge }}. */
  ChildAppliance startAppliance(String bridge, int remotePort, List<String> properties) throws Exception {
    Path conf = state.resolve("edgewhisk.conf");
    Files.writeString(conf, "edgewhisk.mqtt.bridges.m {\n  urls = [\"tcp://127.0.0.1:" + remotePort + "\"]\n"
        + "  reconnect-min-delay = 200ms\n  reconnect-max-delay = 1s\n" + bridge + "\n}\n");
    List<String> all = new ArrayList<>(properties);
    all.add("-Dedgewhisk.mqtt.sys-interval=1s");
    appliance = ChildAppliance.start(state.resolve("appliance"), mqttPort, all, conf);
    return appliance;
  }

  /** A Paho 3.1.1 client of the appliance's embedded broker (user dev). */
  MqttClient local(String id, boolean clean) throws Exception {
    return client("tcp://127.0.0.1:" + mqttPort, id, clean, true);
  }

  /** A Paho 3.1.1 client of Mosquitto (anonymous). */
  MqttClient remote(String id, boolean clean) throws Exception {
    return client(mosquitto.url(), id, clean, false);
  }

  MqttClient client(String url, String id, boolean clean, boolean user) throws Exception {
    MqttClient c = new MqttClient(url, id, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(clean);
    o.setAutomaticReconnect(true);
    o.setMaxReconnectDelay(500);
    o.setKeepAliveInterval(5);
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    if (user) {
      o.setUserName(EmbeddedBroker.USER);
      o.setPassword(EmbeddedBroker.PASSWORD.toCharArray());
    }
    c.connect(o);
    clients.add(c);
    return c;
  }

  /** Messages as they arrive at a client, by topic, in order ("topic=payload"). */
  static final class Inbox implements MqttCallback {
    final List<String> all = new CopyOnWriteArrayList<>();
    final Map<String, List<String>> byTopic = new ConcurrentHashMap<>();
    /** "topic=payload" of the messages that came flagged DUP (a broker's own redelivery to this client) */
    final List<String> dups = new CopyOnWriteArrayList<>();

    static Inbox on(MqttClient c) {
      Inbox in = new Inbox();
      c.setCallback(in);
      return in;
    }

    @Override
    public void connectionLost(Throwable cause) {
    }

    @Override
    public void messageArrived(String topic, MqttMessage m) {
      String p = new String(m.getPayload());
      if (m.isDuplicate()) {
        dups.add(topic + "=" + p);
      }
      all.add(topic + "=" + p);
      byTopic.computeIfAbsent(topic, k -> new CopyOnWriteArrayList<>()).add(p);
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
    }

    List<String> of(String topic) {
      return byTopic.getOrDefault(topic, List.of());
    }
  }

  /** The retained $SYS state of bridge m, once it satisfies {@code check}. */
  JsonObject awaitState(Predicate<JsonObject> check, Duration within) throws Exception {
    MqttClient c = local("state-" + UUID.randomUUID(), true);
    JsonObject[] last = {null};
    try {
      c.subscribe("$SYS/edgewhisk/bridges/m/state", 0, (t, m) -> last[0] = new JsonObject(new String(m.getPayload())));
      long deadline = System.nanoTime() + within.toNanos();
      while (System.nanoTime() < deadline) {
        JsonObject s = last[0];
        if (s != null && check.test(s)) {
          return s;
        }
        Thread.sleep(50);
      }
    } finally {
      try {
        c.disconnectForcibly(100, 100);
        c.close(true);
      } catch (Exception ignored) {
        // the state is what matters here
      }
      clients.remove(c);
    }
    fail("bridge state not reached within " + within + "; last " + last[0] + " (state client connected: "
        + c.isConnected() + ")\n" + appliance.output());
    return null;
  }

  String metrics() throws Exception {
    return get("/metrics");
  }

  String get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appliance.apiPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The value of a metric line that starts with {@code series} (name and labels), or -1. */
  double metric(String series) throws Exception {
    for (String line : metrics().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return -1;
  }

  static void eventually(String what, Duration within, Check check) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (check.ok()) {
        return;
      }
      Thread.sleep(50);
    }
    fail(what + " (not within " + within + ")");
  }

  interface Check {
    boolean ok() throws Exception;
  }

  @Override
  public void close() throws Exception {
    for (MqttClient c : clients) {
      try {
        if (c.isConnected()) {
          c.disconnectForcibly(100, 100);
        }
        c.close(true);
      } catch (Exception ignored) {
        // going anyway
      }
    }
    if (appliance != null) {
      appliance.close();
    }
    mosquitto.close();
    // keep the logs of the last run for a failure's diagnosis (target/bridge-logs is overwritten each time)
    Path logs = Path.of("target", "bridge-logs").toAbsolutePath();
    Files.createDirectories(logs);
    if (appliance != null) {
      Files.writeString(logs.resolve("appliance.out"), appliance.output());
    }
    Files.writeString(logs.resolve("mosquitto.log"), mosquitto.log());
    try (var files = Files.walk(state)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
