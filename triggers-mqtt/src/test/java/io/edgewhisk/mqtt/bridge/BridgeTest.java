package io.edgewhisk.mqtt.bridge;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import io.edgewhisk.mqtt.broker.Broker;
import io.edgewhisk.mqtt.broker.BrokerLimits;
import io.edgewhisk.mqtt.broker.BrokerStats;
import io.edgewhisk.mqtt.broker.DropReason;
import io.edgewhisk.mqtt.broker.MessageProperties;
import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.edgewhisk.mqtt.broker.Subscription;
import io.edgewhisk.mqtt.config.BridgeConfig;
import io.edgewhisk.mqtt.store.InMemoryBrokerStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A bridge over a fake link and an in-memory log: store and forward, remapping, resend, bounds, loops, feeds. */
class BridgeTest {
  Vertx vertx;
  Context ctx;
  Broker broker;
  MemoryLogTopics log;
  FakeLinks links;
  Bridge bridge;
  final List<BridgeState> states = new ArrayList<>();

  static BridgeConfig config(String hocon) {
    return BridgeConfig.all(ConfigFactory.parseString("bridges.b {" + hocon + "}")
        .withFallback(ConfigFactory.defaultReference().getConfig("edgewhisk.mqtt"))).get(0);
  }

  static final String RULES = "urls = [\"tcp://127.0.0.1:1\"], reconnect-min-delay = 10ms, reconnect-max-delay = 40ms,"
      + " forward = [{direction = out, topic = \"sensors/#\", remote-prefix = \"site/\", qos = 1},"
      + " {direction = in, topic = \"cmd/#\", remote-prefix = \"hq/\", local-prefix = \"act/\", qos = 1}]";

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    ctx = vertx.getOrCreateContext();
    log = new MemoryLogTopics(vertx);
    links = new FakeLinks();
    broker = onLoop(() -> new Broker(vertx, new InMemoryBrokerStore(), new BrokerLimits(32, 1000, 1 << 20), 1 << 24,
        100, new BrokerStats(0), System::currentTimeMillis));
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  void start(String hocon) throws Exception {
    BridgeConfig c = config(hocon);
    bridge = onLoop(() -> new Bridge(c, vertx, broker, new Outbox(log, c.outboxTopic(), "bridge-b", c.maxOutboxMessages()),
        links, cfg -> Future.succeededFuture(null), "me", new Backoff(c.reconnectMinDelay(), c.reconnectMaxDelay(),
        () -> 0.5), System::currentTimeMillis, b -> states.add(b.state())));
    await(onLoop(() -> bridge.start()));
  }

  <T> T onLoop(Callable<T> work) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    ctx.runOnContext(v -> {
      try {
        f.complete(work.call());
      } catch (Exception e) {
        f.completeExceptionally(e);
      }
    });
    return f.get(10, TimeUnit.SECONDS);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  void eventually(String what, BooleanSupplier check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (onLoop(check::getAsBoolean)) {
        return;
      }
      Thread.sleep(10);
    }
    fail(what + "; state " + onLoop(() -> bridge.state()));
  }

  static PublishedMessage msg(String topic, String payload, int qos) {
    return new PublishedMessage(topic, payload.getBytes(), qos, false, MessageProperties.NONE, 0, "client");
  }

  List<String> sent(FakeLinks.FakeLink l) {
    return l.published.stream().map(m -> m.topic() + "=" + new String(m.payload())).toList();
  }

  @Test
  void whatWaitsInTheOutboxGoesOutInOrderAsSoonAsTheLinkIsUp() throws Exception {
    links.reachable = false;
    start(RULES);
    for (int i = 0; i < 3; i++) {
      int n = i;
      // acknowledged to the local publisher once it is in the outbox, with the link down
      await(onLoop(() -> broker.publish(msg("sensors/s1/t", "m" + n, 1))));
    }
    await(onLoop(() -> broker.publish(msg("other/topic", "x", 1))));
    assertEquals(3, onLoop(() -> bridge.state().backlog()));
    assertFalse(onLoop(() -> bridge.state().connected()));
    eventually("several attempts", () -> links.attempts >= 3);
    assertTrue(onLoop(() -> bridge.state().lastError()).contains("connection refused"));
    links.reachable = true;
    eventually("all sent", () -> !links.links.isEmpty() && links.current().published.size() == 3);
    assertEquals(List.of("site/sensors/s1/t=m0", "site/sensors/s1/t=m1", "site/sensors/s1/t=m2"), sent(links.current()));
    eventually("the outbox committed", () -> bridge.state().backlog() == 0);
    assertEquals(3, onLoop(() -> bridge.state().sent()));
    assertTrue(states.stream().anyMatch(s -> s.link() == BridgeState.Link.CONNECTED));
  }

  @Test
  void unacknowledgedMessagesGoAgainInOrderOnTheNextLink() throws Exception {
    links.autoAck = false;
    links.reachable = false;
    start(RULES + ", max-inflight = 2");
    for (int i = 0; i < 5; i++) {
      int n = i;
      await(onLoop(() -> broker.publish(msg("sensors/a", "m" + n, 1))));
    }
    links.reachable = true;
    eventually("connected", () -> bridge.state().connected());
    FakeLinks.FakeLink first = links.current();
    // the log handed over m0 alone (it was the only record then); the rest come as the next batch
    eventually("m0 sent", () -> first.published.size() == 1);
    onLoop(() -> {
      first.ackNext();
      return null;
    });
    eventually("a window of two", () -> first.published.size() == 3);
    onLoop(() -> {
      first.ackNext();
      return null;
    });
    eventually("m3 goes when m1 is acknowledged", () -> first.published.size() == 4);
    assertEquals(4, onLoop(() -> bridge.state().backlog()), "m0's batch is committed, m1 only with its batch");
    onLoop(() -> {
      first.lose();
      return null;
    });
    eventually("a new link", () -> links.links.size() == 2 && links.current().published.size() == 2);
    FakeLinks.FakeLink second = links.current();
    assertEquals(List.of("site/sensors/a=m2", "site/sensors/a=m3"), sent(second), "m1 was acknowledged, m2 and m3 not");
    onLoop(() -> {
      second.ackNext();
      second.ackNext();
      return null;
    });
    eventually("m4", () -> second.published.size() == 3);
    onLoop(() -> {
      second.ackNext();
      return null;
    });
    eventually("all acknowledged and committed", () -> bridge.state().backlog() == 0);
    assertEquals(5, onLoop(() -> bridge.state().sent()));
    assertEquals(2, onLoop(() -> bridge.state().resent()), "m2 and m3 were in flight when the link went");
  }

  @Test
  void stoppingWhileMessagesWaitEndsAndLeavesThemForTheNextStart() throws Exception {
    links.reachable = false;
    start(RULES);
    await(onLoop(() -> broker.publish(msg("sensors/a", "m0", 1))));
    Thread.sleep(100); // the sender holds m0's batch, waiting for a link
    await(onLoop(() -> bridge.stop()));
    assertEquals(0L, log.committed.getOrDefault("bridge.b.outbox/bridge-b", 0L), "nothing committed");
    links.reachable = true;
    start(RULES); // the next run, on the same log
    eventually("m0 sent after the restart", () -> !links.links.isEmpty() && links.current().published.size() == 1);
  }

  @Test
  void aMessageTheRemoteBrokerDropsTheLinkForIsSkippedAfterAProbe() throws Exception {
    links.autoAck = false;
    links.reachable = false;
    start(RULES + ", max-inflight = 4");
    for (int i = 0; i < 4; i++) {
      int n = i;
      await(onLoop(() -> broker.publish(msg("sensors/a", "m" + n, 1))));
    }
    links.reachable = true;
    eventually("m0 sent", () -> !links.links.isEmpty() && links.current().published.size() == 1);
    onLoop(() -> {
      links.current().ackNext();
      return null;
    });
    eventually("m1-m3 sent", () -> links.current().published.size() == 4);
    // the remote broker cannot take m2: it drops the link, blaming a message
    for (int round = 0; round < 2; round++) {
      FakeLinks.FakeLink l = links.current();
      int before = links.links.size();
      onLoop(() -> {
        l.listener.lost(l, new BridgeLink.DroppedForMessage(0x95));
        return null;
      });
      eventually("a new link", () -> links.links.size() == before + 1 && !links.current().published.isEmpty());
      if (round == 0) {
        // one at a time now: m1 alone, acknowledged, then m2 alone
        assertEquals(List.of("site/sensors/a=m1"), sent(links.current()));
        onLoop(() -> {
          links.current().ackNext();
          return null;
        });
        eventually("m2 alone", () -> links.current().published.size() == 2);
        assertEquals(1, onLoop(() -> bridge.state().inflight()));
      }
    }
    // m2 was alone in flight when the link was dropped again: skipped, counted; m3 goes
    assertEquals(List.of("site/sensors/a=m3"), sent(links.current()));
    assertEquals(1, onLoop(() -> bridge.state().droppedRefused()));
  }

  @Test
  void aFullOutboxDropsNewMessagesAndCountsThem() throws Exception {
    links.reachable = false;
    start(RULES + ", max-outbox-messages = 2");
    for (int i = 0; i < 5; i++) {
      int n = i;
      await(onLoop(() -> broker.publish(msg("sensors/a", "m" + n, 1))));
    }
    BridgeState s = onLoop(() -> bridge.state());
    assertEquals(2, s.backlog());
    assertEquals(3, s.droppedOutboxFull());
    links.reachable = true;
    eventually("the kept two sent", () -> !links.links.isEmpty() && links.current().published.size() == 2);
    assertEquals(List.of("site/sensors/a=m0", "site/sensors/a=m1"), sent(links.current()));
  }

  @Test
  void inRulesSubscribeRemotelyAndPublishLocallyBeforeAcknowledging() throws Exception {
    List<String> local = new ArrayList<>();
    onLoop(() -> {
      broker.subscribeInternal("probe", (m, qos) -> {
        local.add(m.topic() + "=" + new String(m.payload()) + "@" + qos);
        return Future.succeededFuture();
      }, new Subscription("probe", "act/#", null, 2, false, false, 0, 0));
      return null;
    });
    start(RULES);
    eventually("subscribed", () -> !links.links.isEmpty() && links.current().subscribed.contains("hq/cmd/#@1"));
    onLoop(() -> {
      links.current().receive(new PublishedMessage("hq/cmd/fan", "on".getBytes(), 1, false, MessageProperties.NONE, 0,
          "$bridge:b"));
      return null;
    });
    eventually("acknowledged", () -> links.current().acks.contains("hq/cmd/fan"));
    assertEquals(List.of("act/cmd/fan=on@1"), local);
    assertEquals(1, onLoop(() -> bridge.state().received()));

    // taken and acknowledged with packet id 5, the acknowledgement lost with the link: the remote broker resends
    links.sessionPresent = true;
    PublishedMessage pump = new PublishedMessage("hq/cmd/pump", "off".getBytes(), 1, false, MessageProperties.NONE, 0,
        "$bridge:b");
    onLoop(() -> {
      links.current().receive(pump, 5, false);
      return null;
    });
    eventually("pump acknowledged", () -> links.current().acks.contains("hq/cmd/pump"));
    onLoop(() -> {
      links.current().lose();
      return null;
    });
    eventually("a new link", () -> links.links.size() == 2);
    onLoop(() -> {
      links.current().receive(pump, 5, true);
      return null;
    });
    eventually("the resend acknowledged", () -> links.current().acks.contains("hq/cmd/pump"));
    assertEquals(List.of("act/cmd/fan=on@1", "act/cmd/pump=off@1"), local, "the resend was not delivered again");
    assertEquals(1, onLoop(() -> bridge.state().duplicatesIgnored()));
  }

  @Test
  void aResendThatComesWhileTheFirstCopyIsStillBeingTakenIsAnsweredByIt() throws Exception {
    links.sessionPresent = true;
    start(RULES);
    eventually("connected", () -> bridge.state().connected());
    List<String> fired = new ArrayList<>();
    List<io.vertx.core.Promise<Void>> durable = new ArrayList<>();
    onLoop(() -> {
      bridge.subscribe("$feed:t", "plant/#", 1, (m, qos) -> {
        fired.add(m.topic());
        io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
        durable.add(p);
        return p.future();
      });
      return null;
    });
    eventually("subscribed", () -> links.current().subscribed.contains("plant/#@1"));
    PublishedMessage m = msg("plant/p1/temp", "20", 1);
    onLoop(() -> {
      links.current().receive(m, 7, false); // its fire is slow: not durable yet when the link goes
      links.current().lose();
      return null;
    });
    eventually("a new link", () -> links.links.size() == 2 && bridge.state().connected());
    FakeLinks.FakeLink second = links.current();
    onLoop(() -> {
      second.receive(m, 7, true);
      return null;
    });
    assertEquals(List.of("plant/p1/temp"), onLoop(() -> List.copyOf(fired)), "not delivered a second time");
    assertTrue(onLoop(() -> second.acks.isEmpty()), "not acknowledged before the first copy is durable");
    onLoop(() -> {
      durable.get(0).complete();
      return null;
    });
    eventually("the resend acknowledged", () -> second.acks.contains("plant/p1/temp"));
    assertEquals(1, fired.size());
    assertEquals(1, onLoop(() -> bridge.state().duplicatesIgnored()));
  }

  @Test
  void aFeedOnTheBridgeIsSubscribedAndAFailedFireIsNotAcknowledged() throws Exception {
    start(RULES);
    eventually("connected", () -> bridge.state().connected());
    List<String> fired = new ArrayList<>();
    boolean[] fail = {false};
    onLoop(() -> {
      bridge.subscribe("$feed:t", "plant/+/temp", 1, (m, qos) -> {
        fired.add(m.topic());
        return fail[0] ? Future.failedFuture("core unreachable") : Future.succeededFuture();
      });
      return null;
    });
    eventually("the feed's filter subscribed", () -> links.current().subscribed.contains("plant/+/temp@1"));
    FakeLinks.FakeLink l = links.current();
    onLoop(() -> {
      l.receive(msg("plant/p1/temp", "20", 1));
      return null;
    });
    eventually("acknowledged", () -> l.acks.contains("plant/p1/temp"));
    fail[0] = true;
    onLoop(() -> {
      l.receive(msg("plant/p2/temp", "21", 1));
      return null;
    });
    eventually("the link dropped so that the remote broker sends it again", () -> links.links.size() == 2);
    assertFalse(l.acks.contains("plant/p2/temp"));
    assertEquals(List.of("plant/p1/temp", "plant/p2/temp"), fired);
    onLoop(() -> {
      bridge.unsubscribe("$feed:t");
      return null;
    });
    eventually("unsubscribed", () -> links.current().subscribed.contains("-plant/+/temp"));
  }

  @Test
  void mqtt5BridgesMarkWhatTheySendAndTheBrokerDropsWhatComesBackMarked() throws Exception {
    onLoop(() -> {
      broker.loopMark(Bridge.LOOP_PROPERTY, "me");
      return null;
    });
    start(RULES + ", mqtt-version = \"5\"");
    eventually("connected", () -> bridge.state().connected());
    await(onLoop(() -> broker.publish(msg("sensors/a", "m0", 1))));
    eventually("sent", () -> links.current().published.size() == 1);
    PublishedMessage out = links.current().published.get(0);
    assertEquals(List.of(new MessageProperties.UserProperty(Bridge.LOOP_PROPERTY, "me")), out.properties().userProperties());
    // the same message back in over the in rule, as a loop of bridges would bring it
    onLoop(() -> {
      links.current().receive(new PublishedMessage("hq/cmd/x", out.payload(), 1, false, out.properties(), 0, "$bridge:b"));
      return null;
    });
    eventually("acknowledged", () -> links.current().acks.contains("hq/cmd/x"));
    assertEquals(1, onLoop(() -> broker.stats().dropped(DropReason.LOOP)));
  }
}
