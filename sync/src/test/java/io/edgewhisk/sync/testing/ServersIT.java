package io.edgewhisk.sync.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The test servers themselves: they start, serve, survive a restart where promised, and go away. */
class ServersIT {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void pouchdbServerKeepsItsDatabasesOnDiskAcrossARestart() throws Exception {
    try (PouchDbServer couch = PouchDbServer.onDisk()) {
      assertEquals(201, send("PUT", couch.url() + "/kept", null).statusCode());
      assertEquals(201, send("PUT", couch.url() + "/kept/doc1", "{\"a\":1}").statusCode());
      long pid = couch.process().pid();
      couch.stop();
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "stopped by its pid");
      assertFalse(FreePort.listening(couch.port()));
      couch.start();
      HttpResponse<String> doc = send("GET", couch.url() + "/kept/doc1", null);
      assertEquals(200, doc.statusCode(), doc.body());
      assertTrue(doc.body().contains("\"a\":1"), doc.body());
    }
  }

  @Test
  void kafkaNodeCarriesARecordAndComesBackAfterAStop() throws Exception {
    try (KafkaNode kafka = KafkaNode.start()) {
      produce(kafka, "one");
      kafka.stop();
      assertFalse(FreePort.listening(Integer.parseInt(kafka.bootstrapServers().split(":")[1])));
      kafka.restart();
      produce(kafka, "two");
      Map<String, Object> c = Map.of("bootstrap.servers", kafka.bootstrapServers(), "group.id", "t",
          "auto.offset.reset", "earliest", "key.deserializer", StringDeserializer.class.getName(),
          "value.deserializer", StringDeserializer.class.getName());
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
        consumer.subscribe(List.of("smoke"));
        java.util.List<String> seen = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (seen.size() < 2 && System.nanoTime() < deadline) {
          ConsumerRecords<String, String> rs = consumer.poll(Duration.ofMillis(500));
          rs.forEach(r -> seen.add(r.value()));
        }
        assertEquals(List.of("one", "two"), seen);
      }
    }
  }

  private void produce(KafkaNode kafka, String value) throws Exception {
    Map<String, Object> p = Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all",
        "key.serializer", StringSerializer.class.getName(), "value.serializer", StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      producer.send(new ProducerRecord<>("smoke", value, value)).get();
    }
  }

  private HttpResponse<String> send(String method, String url, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
