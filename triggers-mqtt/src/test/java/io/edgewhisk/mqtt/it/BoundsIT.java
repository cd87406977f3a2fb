package io.edgewhisk.mqtt.it;

import static org.junit.jupiter.api.Assertions.*;

import io.edgewhisk.mqtt.MqttBrokerVerticle;
import io.edgewhisk.mqtt.broker.DropReason;
import io.edgewhisk.mqtt.security.DeviceUsers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each bound holds, its breach is counted and visible in $SYS, and everyone else keeps being served. */
class BoundsIT {
  static EmbeddedBroker broker;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start(Map.of("edgewhisk.mqtt.max-connections", 6,
        "edgewhisk.mqtt.max-queued-messages", 5, "edgewhisk.mqtt.max-retained", 2,
        "edgewhisk.mqtt.sys-interval", "1s",
        "edgewhisk.mqtt.user-rules", List.of("allow all #", "allow subscribe $SYS/#")));
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
  }

  @Test
  void aConnectionOverTheBoundIsRefusedWithQuotaExceeded() throws Exception {
    List<V5Client> held = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        held.add(V5Client.connect(broker.tcpUrl(), "bound-conn-" + i));
      }
      V5Client extra = new V5Client(broker.tcpUrl(), "bound-conn-extra");
      MqttException e = assertThrows(MqttException.class,
          () -> extra.client.connect(V5Client.options()).waitForCompletion(10_000));
      assertEquals(0x97, e.getReasonCode());
      held.get(0).publish("still/serving", "yes", 1, false); // the others are served
    } finally {
      held.forEach(V5Client::close);
    }
    assertTrue(broker.onLoop(() -> broker.verticle.broker().stats().connectionsRefused()) >= 1);
  }

  @Test
  void anOfflineSessionQueuesUpToItsBoundAndCountsTheRest() throws Exception {
    MqttConnectionOptions o = V5Client.options();
    o.setSessionExpiryInterval(600L);
    V5Client sub = V5Client.connect(broker.tcpUrl(), "bound-queue", o);
    sub.subscribe(new MqttSubscription("bq/#", 1), null);
    sub.close();
    long before = broker.onLoop(() -> broker.verticle.broker().stats().dropped(DropReason.QUEUE_FULL));
    try (V5Client pub = V5Client.connect(broker.tcpUrl(), "bound-queue-p")) {
      for (int i = 0; i < 8; i++) {
        pub.publish("bq/x", "q" + i, 1, false);
      }
    }
    long after = broker.onLoop(() -> broker.verticle.broker().stats().dropped(DropReason.QUEUE_FULL));
    assertEquals(3, after - before, "three over the bound of five");
    MqttConnectionOptions back = V5Client.options();
    back.setCleanStart(false);
    back.setSessionExpiryInterval(600L);
    try (V5Client again = V5Client.connect(broker.tcpUrl(), "bound-queue", back)) {
      for (int i = 0; i < 5; i++) {
        assertEquals("q" + i, again.next().payload(), "the oldest five kept, in order");
      }
      assertNull(again.poll(300));
      again.subscribe(new MqttSubscription("$SYS/broker/messages/dropped/queue-full", 0), null);
      // the retained value may be from before the drops; the next publication ($SYS every second here) has them
      long dropped = -1;
      long deadline = System.currentTimeMillis() + 10_000;
      while (dropped < 3 && System.currentTimeMillis() < deadline) {
        var m = again.poll(1000);
        if (m != null) {
          dropped = Long.parseLong(m.payload());
        }
      }
      assertTrue(dropped >= 3, "visible in $SYS: " + dropped);
    }
  }

  @Test
  void retainedMessagesBeyondTheBoundAreDeliveredButNotKept() throws Exception {
    try (V5Client pub = V5Client.connect(broker.tcpUrl(), "bound-ret-p")) {
      for (int i = 0; i < 3; i++) {
        pub.publish("br/" + i, "r" + i, 1, true);
      }
    }
    try (V5Client late = V5Client.connect(broker.tcpUrl(), "bound-ret-late")) {
      late.subscribe(new MqttSubscription("br/#", 1), null);
      List<String> got = new ArrayList<>();
      for (V5Client.Arrived a = late.poll(1000); a != null; a = late.poll(500)) {
        got.add(a.payload());
      }
      assertEquals(2, got.size(), "only max-retained kept: " + got);
    }
    assertEquals(1, (long) broker.onLoop(() -> broker.verticle.broker().stats().retainedRefused()));
  }

  @Test
  void deletingAUserClosesItsConnectionsWithinAboutASecond() throws Exception {
    DeviceUsers users = new DeviceUsers(MqttBrokerVerticle.usersFile(broker.stateDir));
    users.put("doomed", "pw".toCharArray(), List.of());
    Thread.sleep(1500); // the broker re-reads the users file every second
    MqttConnectionOptions o = V5Client.options();
    o.setUserName("doomed");
    o.setPassword("pw".getBytes());
    V5Client c = V5Client.connect(broker.tcpUrl(), "doomed-client", o);
    assertTrue(c.client.isConnected());
    long t0 = System.nanoTime();
    assertTrue(users.delete("doomed"));
    var reason = c.disconnected.get(5, TimeUnit.SECONDS);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertEquals(0x87, reason.getReturnCode());
    assertTrue(ms < 3000, "closed after " + ms + " ms");
    V5Client again = new V5Client(broker.tcpUrl(), "doomed-client");
    MqttException e = assertThrows(MqttException.class, () -> again.client.connect(o).waitForCompletion(10_000));
    assertEquals(0x86, e.getReasonCode());
  }
}
