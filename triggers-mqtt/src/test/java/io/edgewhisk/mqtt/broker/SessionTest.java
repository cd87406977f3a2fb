package io.edgewhisk.mqtt.broker;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The outbound flow of a session with a recording client: window, packet ids, queue bounds, resend. */
class SessionTest {
  static final class RecordingLink implements ClientLink {
    final List<String> sent = new ArrayList<>();
    int receiveMaximum = 65535;
    int maxPacket = 1 << 20;

    public int protocolVersion() { return 5; }
    public int receiveMaximum() { return receiveMaximum; }
    public int maximumPacketSize() { return maxPacket; }
    boolean writable = true;
    public boolean writable() { return writable; }
    public void publish(Delivery d, int packetId, boolean dup) {
      sent.add(new String(d.message().payload()) + "#" + packetId + (dup ? "+dup" : ""));
    }
    public void pubrel(int packetId) { sent.add("pubrel#" + packetId); }
    public void disconnect(int reasonCode, String reason) { sent.add("disconnect " + reasonCode); }
  }

  static final class CountingListener implements DeliveryListener {
    final List<DropReason> drops = new ArrayList<>();
    public void sent(Session s, Delivery d, int packetId) { }
    public void dropped(Session s, Delivery d, DropReason reason) { drops.add(reason); }
  }

  static Delivery d(String payload, int qos) {
    return new Delivery(new PublishedMessage("t", payload.getBytes(), qos, false, MessageProperties.NONE, 0, "p"),
        qos, false, List.of(), 0);
  }

  @Test
  void theWindowHoldsBackAndAcknowledgementsLetTheQueueOut() {
    CountingListener l = new CountingListener();
    Session s = new Session("c", new BrokerLimits(2, 10, 1 << 20), new QueueBudget(1 << 20), l);
    RecordingLink link = new RecordingLink();
    s.attach(link, 0);
    for (int i = 0; i < 4; i++) {
      s.offer(d("m" + i, 1), 0);
    }
    assertEquals(List.of("m0#1", "m1#2"), link.sent);
    assertEquals(2, s.queuedCount());
    s.finish(1, 0);
    assertEquals(List.of("m0#1", "m1#2", "m2#3"), link.sent);
    s.release(2);
    assertEquals("pubrel#2", link.sent.get(3));
  }

  @Test
  void qos0ForAClientThatCannotTakeMoreWaitsInTheQueueWithinItsBoundAndLeavesInOrder() {
    CountingListener l = new CountingListener();
    QueueBudget budget = new QueueBudget(1 << 20);
    Session s = new Session("c", new BrokerLimits(2, 2, 1 << 20), budget, l);
    RecordingLink link = new RecordingLink();
    s.attach(link, 0);
    s.offer(d("a", 0), 0);
    link.writable = false;
    s.offer(d("b", 0), 0);
    s.offer(d("c", 0), 0);
    s.offer(d("d", 0), 0);
    assertEquals(List.of("a#0"), link.sent);
    assertEquals(List.of(DropReason.QUEUE_FULL), l.drops);
    link.writable = true;
    s.pump(0);
    assertEquals(List.of("a#0", "b#0", "c#0"), link.sent);
    link.writable = false;
    s.offer(d("e", 0), 0);
    link.writable = true;
    s.offer(d("f", 0), 0); // not ahead of the one queued
    assertEquals(List.of("a#0", "b#0", "c#0"), link.sent);
    s.pump(0);
    assertEquals(List.of("a#0", "b#0", "c#0", "e#0", "f#0"), link.sent);
    assertEquals(0, budget.used());
  }

  @Test
  void packetIdsSkipThoseStillInFlightAndWrapAt65535() {
    Session s = new Session("c", new BrokerLimits(65535, 10, 1 << 20), new QueueBudget(1 << 20), new CountingListener());
    RecordingLink link = new RecordingLink();
    s.restore(d("old", 1), 65535, false);
    s.restore(d("older", 1), 1, false);
    s.attach(link, 0);
    link.sent.clear();
    s.offer(d("new", 1), 0);
    assertEquals(List.of("new#2"), link.sent, "65535 and 1 are in use: the next id is 2");
  }

  @Test
  void reconnectResendsUnfinishedFlowsWithDupThenTheQueue() {
    Session s = new Session("c", new BrokerLimits(1, 10, 1 << 20), new QueueBudget(1 << 20), new CountingListener());
    RecordingLink first = new RecordingLink();
    s.attach(first, 0);
    s.offer(d("a", 2), 0);
    s.offer(d("b", 1), 0);
    s.release(1);
    s.detach(0);
    RecordingLink second = new RecordingLink();
    s.attach(second, 0);
    assertEquals(List.of("pubrel#1"), second.sent, "a released QoS 2 flow resumes at PUBREL, the window is full");
    s.finish(1, 0);
    assertEquals(List.of("pubrel#1", "b#2"), second.sent);
  }

  @Test
  void queueBoundsDropAndCount() {
    CountingListener l = new CountingListener();
    QueueBudget budget = new QueueBudget(1 << 20);
    Session s = new Session("c", new BrokerLimits(1, 2, 1 << 20), budget, l);
    for (int i = 0; i < 4; i++) {
      s.offer(d("m" + i, 1), 0); // offline: queued up to 2
    }
    s.offer(d("q0", 0), 0);
    assertEquals(2, s.queuedCount());
    assertEquals(List.of(DropReason.QUEUE_FULL, DropReason.QUEUE_FULL, DropReason.QOS0_OFFLINE), l.drops);
    assertTrue(budget.used() > 0);
    s.discard();
    assertEquals(0, budget.used(), "the memory budget is given back");
  }

  @Test
  void theGlobalQueueBudgetBoundsAllSessions() {
    CountingListener l = new CountingListener();
    QueueBudget budget = new QueueBudget(200);
    Session a = new Session("a", new BrokerLimits(1, 100, 1 << 20), budget, l);
    Session b = new Session("b", new BrokerLimits(1, 100, 1 << 20), budget, l);
    a.offer(d("x".repeat(100), 1), 0);
    b.offer(d("y".repeat(100), 1), 0);
    assertEquals(List.of(DropReason.QUEUE_MEMORY), l.drops);
  }

  @Test
  void aMessageOverTheClientsMaximumPacketSizeIsDroppedNotSent() {
    CountingListener l = new CountingListener();
    Session s = new Session("c", new BrokerLimits(10, 10, 1 << 20), new QueueBudget(1 << 20), l);
    RecordingLink link = new RecordingLink();
    link.maxPacket = 50;
    s.attach(link, 0);
    assertEquals(-1, s.offer(d("z".repeat(100), 1), 0));
    assertEquals(1, s.offer(d("ok", 1), 0));
    assertEquals(List.of(DropReason.TOO_LARGE), l.drops);
  }

  @Test
  void expiredMessagesAreNotSent() {
    CountingListener l = new CountingListener();
    Session s = new Session("c", new BrokerLimits(10, 10, 1 << 20), new QueueBudget(1 << 20), l);
    PublishedMessage m = new PublishedMessage("t", new byte[1], 1, false, MessageProperties.NONE, 1000, "p");
    s.offer(new Delivery(m, 1, false, List.of(), 0), 500);
    s.attach(new RecordingLink(), 2000);
    assertEquals(List.of(DropReason.EXPIRED), l.drops);
  }
}
