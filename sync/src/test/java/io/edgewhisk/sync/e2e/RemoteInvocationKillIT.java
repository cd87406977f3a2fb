package io.edgewhisk.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
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
 * Remote invocation is at least once: the gateway is killed (SIGKILL) while a central controller's message runs;
 * nothing was answered and its offset was not committed, so after the restart the message is read again, run,
 * and answered once with the record the gateway stored, and the offset is committed past it.
 */
class RemoteInvocationKillIT {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String DEVICE = "gw-remote-kill";
  static final String TOPIC = "invoker-edge-" + DEVICE;
  static final String ID = String.format(Locale.ROOT, "%032x", 0x7e1000L);

  private final PodmanInstance podman = new PodmanInstance();
  private Path dir;
  private CentralCluster central;
  private SyncedAppliance appliance;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "remote-invocation-kill-");
  }

  @AfterEach
  void stop() throws Exception {
    E2eTeardown.stopAll(appliance, podman, central, dir);
  }

  @Test
  void aMessageRunningWhenTheGatewayIsKilledIsAnsweredAfterTheRestart() throws Exception {
    long t0 = System.nanoTime();
    central = CentralCluster.start(dir);
    String[] key = RemoteInvocationIT.withFleetAction(central, TOPIC, "slow",
        "function main(p) { return new Promise(r => setTimeout(() => r({n: p.n}), 6000)); }");
    appliance = new SyncedAppliance(dir.resolve("state"), central.applianceConfig(podman, DEVICE,
        "edgewhisk.sync.remote-invocation.enabled = true")).start();
    Rest wsk = new Rest(appliance.port(), key[0] + ":" + key[1]);
    await("the central action and key at the gateway", () -> wsk.get("/api/v1/namespaces/fleet/actions/slow").status() == 200);

    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
        central.kafka.bootstrapServers(), "acks", "all", "key.serializer", ByteArraySerializer.class.getName(),
        "value.serializer", ByteArraySerializer.class.getName()))) {
      producer.send(new ProducerRecord<>(TOPIC, message(key[0] + ":" + key[1]).toBuffer().getBytes())).get();
    }
    await("the message running at the gateway", () -> inFlight(wsk) == 1);
    appliance.kill();
    System.out.printf("remote-invocation-kill: killed while the activation ran, %d ms in%n", ms(t0));
    assertEquals(List.of(), answers(Duration.ofSeconds(2)), "nothing was answered before the kill");
    assertTrue(committed() < 1, "nothing was committed past the message before the kill");
    podman.removeLeftovers(); // what the killed process left; a clean stop leaves nothing (checked at the end)

    appliance.start();
    Rest restarted = new Rest(appliance.port(), key[0] + ":" + key[1]);
    await("the answer after the restart", () -> !answers(Duration.ofSeconds(1)).isEmpty());
    List<JsonObject> answers = answers(Duration.ofSeconds(2));
    assertEquals(1, answers.size(), () -> "answered once: " + answers);
    JsonObject activation = answers.get(0).getJsonObject("response");
    assertEquals(ID, activation.getString("activationId"));
    assertEquals(0, activation.getJsonObject("response").getInteger("statusCode"), activation::encode);
    assertEquals(new JsonObject().put("n", 5), activation.getJsonObject("response").getJsonObject("result"));
    Rest.Reply stored = restarted.get("/api/v1/namespaces/fleet/activations/" + ID);
    assertEquals(200, stored.status(), stored::toString);
    assertEquals(stored.json().getLong("start"), activation.getLong("start"), "the answer is the record the gateway stored");
    await("the offset committed past the message", () -> committed() == 1);
    System.out.printf("remote-invocation-kill: whole test %d ms%n", ms(t0));
  }

  private static JsonObject message(String apiKey) {
    return new JsonObject()
        .put("transid", new JsonArray().add("killIT").add(System.currentTimeMillis()))
        .put("action", new JsonObject().put("path", "fleet").put("name", "slow").put("version", "0.0.1"))
        .put("user", new JsonObject().put("subject", "bob")
            .put("namespace", new JsonObject().put("name", "fleet").put("uuid", apiKey.substring(0, 36)))
            .put("authkey", new JsonObject().put("api_key", apiKey))
            .put("rights", new JsonArray()).put("limits", new JsonObject()))
        .put("activationId", ID)
        .put("rootControllerIndex", new JsonObject().put("asString", "0").put("instanceType", "controller"))
        .put("blocking", false)
        .put("content", new JsonObject().put("n", 5))
        .put("initArgs", new JsonArray());
  }

  private static int inFlight(Rest wsk) {
    for (String line : wsk.get("/metrics").body().split("\n")) {
      if (line.startsWith("edgewhisk_activations_in_flight ")) {
        return (int) Double.parseDouble(line.substring(line.indexOf(' ') + 1).strip());
      }
    }
    return -1;
  }

  /** Every answer on completed0 so far (read from the start for {@code within}). */
  private List<JsonObject> answers(Duration within) {
    List<JsonObject> out = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
        central.kafka.bootstrapServers(), "key.deserializer", StringDeserializer.class.getName(),
        "value.deserializer", StringDeserializer.class.getName()))) {
      TopicPartition completed = new TopicPartition("completed0", 0);
      consumer.assign(List.of(completed));
      consumer.seekToBeginning(List.of(completed));
      long deadline = System.nanoTime() + within.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(new JsonObject(r.value()));
        }
      }
    }
    return out;
  }

  private long committed() {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", central.kafka.bootstrapServers()))) {
      OffsetAndMetadata o = admin.listConsumerGroupOffsets("edgewhisk-invoker-" + DEVICE).partitionsToOffsetAndMetadata()
          .get().get(new TopicPartition(TOPIC, 0));
      return o == null ? -1 : o.offset();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private void await(String what, Supplier<Boolean> condition) {
    appliance.await(what, WAIT, condition);
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }
}
