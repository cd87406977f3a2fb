package io.edgewhisk.mqtt.store;

import static org.junit.jupiter.api.Assertions.*;

import io.edgewhisk.mqtt.broker.Delivery;
import io.edgewhisk.mqtt.broker.MessageProperties;
import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.edgewhisk.mqtt.broker.Subscription;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One contract, run against the in-memory store and the SQLite one (which must also survive reopening). */
class BrokerStoreContractTest {
  Vertx vertx;
  Path dir;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    dir = Files.createTempDirectory(Path.of("target"), "store");
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  Function<Boolean, BrokerStore> factory(String kind) {
    InMemoryBrokerStore memory = new InMemoryBrokerStore();
    return reopen -> kind.equals("memory") ? memory
        : new SqliteBrokerStore(dir.resolve("broker.db"), vertx.getOrCreateContext());
  }

  static PublishedMessage message(String topic, String payload) {
    return new PublishedMessage(topic, payload.getBytes(), 1, false, new MessageProperties(1, "text/plain",
        "reply/x", new byte[] {1, 2}, List.of(new MessageProperties.UserProperty("b", "1"),
        new MessageProperties.UserProperty("a", "2"), new MessageProperties.UserProperty("b", "3"))), 123L, "pub");
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "sqlite"})
  void keepsSessionsMessagesAndRetainedInOrder(String kind) throws Exception {
    Function<Boolean, BrokerStore> f = factory(kind);
    BrokerStore store = f.apply(false);
    Subscription sub = new Subscription("c1", "a/#", null, 1, true, true, 2, 7);
    Subscription shared = new Subscription("c1", "b/+", "g", 2, false, false, 0, 0);
    store.saveSession("c1", 3600, 99, List.of(sub, shared)).await();
    store.addMessage("c1", new Delivery(message("a/1", "one"), 1, false, List.of(7), 1), 5).await();
    store.addMessage("c1", new Delivery(message("a/2", "two"), 2, true, List.of(), 2), 0).await();
    store.addMessage("c1", new Delivery(message("a/3", "three"), 1, false, List.of(), 3), 0).await();
    store.updateMessage("c1", 2, 6, true).await();
    store.removeMessage("c1", 3).await();
    store.putRetained(message("r/1", "kept")).await();
    store.putRetained(message("r/2", "gone")).await();
    store.removeRetained("r/2").await();
    store.saveSession("c2", 60, 0, List.of()).await();
    store.addMessage("c2", new Delivery(message("x", "x"), 1, false, List.of(), 4), 0).await();
    store.deleteSession("c2").await();
    store.close().await();

    BrokerStore again = f.apply(true);
    BrokerStore.Snapshot s = again.load().await();
    assertEquals(1, s.sessions().size());
    BrokerStore.StoredSession c1 = s.sessions().get(0);
    assertEquals("c1", c1.clientId());
    assertEquals(3600, c1.expirySeconds());
    assertEquals(List.of(sub, shared), c1.subscriptions());
    assertEquals(2, c1.messages().size());
    BrokerStore.StoredDelivery first = c1.messages().get(0);
    assertEquals("one", new String(first.delivery().message().payload()));
    assertEquals(5, first.packetId());
    assertEquals(List.of(7), first.delivery().subscriptionIds());
    MessageProperties p = first.delivery().message().properties();
    assertEquals(List.of("b", "a", "b"), p.userProperties().stream().map(MessageProperties.UserProperty::name).toList());
    assertEquals("reply/x", p.responseTopic());
    assertArrayEquals(new byte[] {1, 2}, p.correlationData());
    assertEquals(123L, first.delivery().message().expiresAt());
    BrokerStore.StoredDelivery second = c1.messages().get(1);
    assertEquals(6, second.packetId());
    assertTrue(second.released());
    assertTrue(second.delivery().retain());
    assertEquals(1, s.retained().size());
    assertEquals("kept", new String(s.retained().get(0).payload()));
    again.close().await();
  }
}
