package io.edgewhisk.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.sync.pull.CentralDocs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Remote invocation end to end: a central controller's OpenWhisk ActivationMessages on the device's invoker topic
 * of a real Kafka broker, run by the real appliance (real Podman) on a pulled action, and answered on
 * {@code completed0} in OpenWhisk's CombinedCompletionAndResultMessage shape; a malformed message, a namespace
 * not served, a wrong key and a missing action each get their answer (or are skipped) without holding up the
 * next; the offsets are committed past all of them; a message seen again is answered with the first run's record.
 */
class RemoteInvocationIT {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String DEVICE = "gw-remote";
  static final String TOPIC = "invoker-edge-" + DEVICE;

  private final PodmanInstance podman = new PodmanInstance();
  private Path dir;
  private CentralCluster central;
  private SyncedAppliance appliance;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "remote-invocation-");
  }

  @AfterEach
  void stop() throws Exception {
    E2eTeardown.stopAll(appliance, podman, central, dir);
  }

  @Test
  void aCentralControllersMessagesAreRunAndAnsweredAsAnOpenWhiskInvokerWould() throws Exception {
    long t0 = System.nanoTime();
    central = CentralCluster.start(dir);
    String[] key = withFleetAction(central, TOPIC, "count",
        "function main(p) { console.log('n is ' + p.n); return {n: p.n, greeting: p.greeting}; }");
    appliance = new SyncedAppliance(dir.resolve("state"), central.applianceConfig(podman, DEVICE,
        "edgewhisk.sync.remote-invocation { enabled = true, invoker-instance = 5 }")).start();
    Rest wsk = new Rest(appliance.port(), key[0] + ":" + key[1]);
    await("the central action and key at the gateway", () -> wsk.get("/api/v1/namespaces/fleet/actions/count").status() == 200);
    System.out.printf("remote-invocation: central servers and appliance up, action pulled in %d ms%n", ms(t0));

    String notServed = id(1);
    String wrongKey = id(2);
    String missing = id(3);
    String good = id(4);
    String apiKey = key[0] + ":" + key[1];
    JsonArray transid = new JsonArray().add("remoteIT" + UUID.randomUUID().toString().replace("-", "")).add(System.currentTimeMillis());
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      send(producer, "{\"transid\": [\"poison\"".getBytes(StandardCharsets.UTF_8));
      send(producer, message(notServed, "elsewhere", "count", "elsewhere", apiKey, new JsonObject()).toBuffer().getBytes());
      send(producer, message(wrongKey, "fleet", "count", "fleet", key[0] + ":" + "w".repeat(64), new JsonObject()).toBuffer().getBytes());
      send(producer, message(missing, "fleet", "none", "fleet", apiKey, new JsonObject()).toBuffer().getBytes());
      send(producer, message(good, "fleet", "count", "fleet", apiKey, new JsonObject().put("n", 41))
          .put("transid", transid).put("cause", id(99)).toBuffer().getBytes());
    }
    long t1 = System.nanoTime();
    Map<String, JsonObject> answers = readCompletions(Set.of(notServed, wrongKey, missing, good));
    System.out.printf("remote-invocation: 5 messages answered in %d ms%n", ms(t1));

    JsonObject ok = answers.get(good);
    assertEquals(Set.of("transid", "response", "isSystemError", "instance"), ok.fieldNames(), ok::encode);
    assertEquals(transid, ok.getJsonArray("transid"), "the message's transaction id comes back");
    assertEquals(false, ok.getBoolean("isSystemError"), ok::encode);
    assertEquals(new JsonObject("""
        {"instance":5,"userMemory":"2048 MB","instanceType":"invoker","tags":[],"dedicatedNamespaces":[]}"""),
        ok.getJsonObject("instance"));
    JsonObject activation = ok.getJsonObject("response");
    assertFalse(activation.containsKey("_id"), activation::encode);
    assertEquals(good, activation.getString("activationId"));
    assertEquals("fleet", activation.getString("namespace"));
    assertEquals("count", activation.getString("name"));
    assertEquals("bob", activation.getString("subject"));
    assertEquals(id(99), activation.getString("cause"));
    assertEquals(0, activation.getJsonObject("response").getInteger("statusCode"), activation::encode);
    assertEquals(new JsonObject().put("n", 41).put("greeting", "hi"), activation.getJsonObject("response").getJsonObject("result"));
    assertTrue(activation.getJsonArray("logs").encode().contains("stdout: n is 41"), activation::encode);
    assertTrue(activation.getLong("end") >= activation.getLong("start"));
    JsonArray annotations = activation.getJsonArray("annotations");
    assertTrue(annotations.contains(new JsonObject().put("key", "path").put("value", "fleet/count")), annotations::encode);
    assertTrue(annotations.contains(new JsonObject().put("key", "edge-device").put("value", DEVICE)), annotations::encode);
    Rest.Reply atGateway = wsk.get("/api/v1/namespaces/fleet/activations/" + good);
    assertEquals(200, atGateway.status(), atGateway::toString);
    assertEquals(41, atGateway.json().getJsonObject("response").getJsonObject("result").getInteger("n"));

    assertRefused(answers.get(notServed), "The namespace 'elsewhere' is not served by the device '" + DEVICE + "'.");
    assertRefused(answers.get(wrongKey), "The supplied authentication is not valid for the namespace 'fleet'");
    assertRefused(answers.get(missing), "does not exist");
    await("the offsets committed past all five messages", () -> committed() == 5);

    // a message seen again (as after a crash before its commit): answered with the first run's record, not run again
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      send(producer, message(good, "fleet", "count", "fleet", apiKey, new JsonObject().put("n", 42)).toBuffer().getBytes());
    }
    JsonObject again = readCompletions(Set.of(good), 2).get(good);
    assertEquals(activation.getLong("start"), again.getJsonObject("response").getLong("start"), again::encode);
    assertEquals(41, again.getJsonObject("response").getJsonObject("response").getJsonObject("result").getInteger("n"));
    Rest.Reply count = wsk.get("/api/v1/namespaces/fleet/activations?name=count&count=true");
    assertEquals(1, count.json().getInteger("activations"), count::toString);
    System.out.printf("remote-invocation: whole test %d ms%n", ms(t0));
  }

  private static void assertRefused(JsonObject completion, String error) {
    JsonObject activation = completion.getJsonObject("response");
    assertEquals(false, completion.getBoolean("isSystemError"), completion::encode);
    assertEquals(1, activation.getJsonObject("response").getInteger("statusCode"), completion::encode);
    String said = activation.getJsonObject("response").getJsonObject("result").getString("error");
    assertTrue(said.contains(error), said);
    assertEquals(0L, activation.getLong("duration"));
  }

  /** An ActivationMessage as OpenWhisk's controller writes it to an invoker's topic. */
  private static JsonObject message(String activationId, String path, String name, String namespace, String apiKey,
      JsonObject content) {
    return new JsonObject()
        .put("transid", new JsonArray().add("t" + activationId).add(System.currentTimeMillis()))
        .put("action", new JsonObject().put("path", path).put("name", name).put("version", "0.0.1"))
        .put("revision", (Object) null)
        .put("user", new JsonObject().put("subject", "bob")
            .put("namespace", new JsonObject().put("name", namespace).put("uuid", apiKey.substring(0, 36)))
            .put("authkey", new JsonObject().put("api_key", apiKey))
            .put("rights", new JsonArray().add("READ").add("PUT").add("DELETE").add("ACTIVATE"))
            .put("limits", new JsonObject()))
        .put("activationId", activationId)
        .put("rootControllerIndex", new JsonObject().put("asString", "0").put("instanceType", "controller"))
        .put("blocking", true)
        .put("content", content)
        .put("initArgs", new JsonArray())
        .put("lockedArgs", new JsonObject());
  }

  private KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(Map.of("bootstrap.servers", central.kafka.bootstrapServers(), "acks", "all",
        "key.serializer", ByteArraySerializer.class.getName(), "value.serializer", ByteArraySerializer.class.getName()));
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(TOPIC, value)).get();
  }

  /** The answers on completed0 for these activation ids, read from the topic's start (the n-th answer of each). */
  private Map<String, JsonObject> readCompletions(Set<String> ids) {
    return readCompletions(ids, 1);
  }

  private Map<String, JsonObject> readCompletions(Set<String> ids, int nth) {
    Map<String, JsonObject> found = new HashMap<>();
    Map<String, Integer> seen = new HashMap<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
        central.kafka.bootstrapServers(), "group.id", "controller-" + UUID.randomUUID(), "auto.offset.reset", "earliest",
        "key.deserializer", StringDeserializer.class.getName(), "value.deserializer", StringDeserializer.class.getName()))) {
      consumer.subscribe(List.of("completed0"));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!found.keySet().containsAll(ids)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("answers for " + ids + " not within " + WAIT + "; found " + found.keySet() + "\n"
              + appliance.output());
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          JsonObject c = new JsonObject(r.value());
          String id = c.getJsonObject("response").getString("activationId");
          assertEquals(id, r.key(), "keyed by activation id");
          if (seen.merge(id, 1, Integer::sum) == nth) {
            found.put(id, c);
          }
        }
      }
    }
    return found;
  }

  private long committed() {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", central.kafka.bootstrapServers()))) {
      Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("edgewhisk-invoker-" + DEVICE)
          .partitionsToOffsetAndMetadata().get();
      OffsetAndMetadata o = offsets.get(new TopicPartition(TOPIC, 0));
      return o == null ? -1 : o.offset();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String id(int i) {
    return String.format(Locale.ROOT, "%032x", 0x7e0000L + i);
  }

  private void await(String what, Supplier<Boolean> condition) {
    appliance.await(what, WAIT, condition);
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }

  /**
   * The central side of a remote invocation test: bob's key for the namespace {@code fleet} (answered as
   * {uuid, key}), the node action {@code fleet/<action>} labelled for the device's fleet, and the device's invoker
   * topic with {@code completed0}.
   */
  static String[] withFleetAction(CentralCluster central, String topic, String action, String code) throws Exception {
    String[] key = CentralCluster.newKey();
    central.couch.put(CentralCluster.SUBJECTS, CentralCluster.subject("bob", key[0], key[1]));
    central.couch.replace(CentralCluster.WHISKS, CentralDocs.nodeAction("fleet", action, code, "berlin"));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", central.kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1), new NewTopic("completed0", 1, (short) 1))).all().get();
    }
    return key;
  }
}
