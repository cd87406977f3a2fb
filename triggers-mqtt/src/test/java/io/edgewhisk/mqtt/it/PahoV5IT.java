package io.edgewhisk.mqtt.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MQTT 5 behaviour of the embedded broker with Eclipse Paho's v5 client. */
class PahoV5IT {
  static EmbeddedBroker broker;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start(Map.of("edgewhisk.mqtt.user-rules",
        List.of("deny publish forbidden/#", "deny subscribe secret/#", "allow all #"),
        "edgewhisk.mqtt.max-session-expiry", "1h"));
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
  }

  String url() {
    return broker.tcpUrl();
  }

  @Test
  void overlappingSubscriptionsDeliverOnceAtTheHighestQosWithEveryIdentifier() throws Exception {
    try (V5Client sub = V5Client.connect(url(), "v5-overlap"); V5Client pub = V5Client.connect(url(), "v5-overlap-p")) {
      sub.subscribe(new MqttSubscription("ov/+/a", 1), 11);
      sub.subscribe(new MqttSubscription("ov/#", 2), 22);
      sub.subscribe(new MqttSubscription("ov/x/a", 0), null);
      pub.publish("ov/x/a", "once", 2, false);
      V5Client.Arrived a = sub.next();
      assertEquals("once", a.payload());
      assertEquals(2, a.message().getQos());
      assertEquals(Set.of(11, 22), new HashSet<>(a.message().getProperties().getSubscriptionIdentifiers()));
      assertNull(sub.poll(300), "delivered once only");
    }
  }

  @Test
  void propertiesTravelOnUserPropertiesInOrder() throws Exception {
    try (V5Client sub = V5Client.connect(url(), "v5-props"); V5Client pub = V5Client.connect(url(), "v5-props-p")) {
      sub.subscribe(new MqttSubscription("req/#", 1), null);
      MqttProperties p = new MqttProperties();
      p.setResponseTopic("resp/42");
      p.setCorrelationData(new byte[] {4, 2});
      p.setContentType("application/json");
      p.setPayloadFormat(true);
      p.setUserProperties(List.of(new UserProperty("z", "1"), new UserProperty("a", "2"), new UserProperty("z", "3")));
      MqttMessage m = new MqttMessage("{}".getBytes(), 1, false, p);
      pub.publish("req/x", m);
      MqttProperties got = sub.next().message().getProperties();
      assertEquals("resp/42", got.getResponseTopic());
      assertArrayEquals(new byte[] {4, 2}, got.getCorrelationData());
      assertEquals("application/json", got.getContentType());
      assertTrue(got.getPayloadFormat());
      assertEquals(List.of("z=1", "a=2", "z=3"),
          got.getUserProperties().stream().map(u -> u.getKey() + "=" + u.getValue()).toList());
    }
  }

  @Test
  void noLocalRetainAsPublishedAndRetainHandling() throws Exception {
    try (V5Client c = V5Client.connect(url(), "v5-opts"); V5Client other = V5Client.connect(url(), "v5-opts-o")) {
      MqttSubscription noLocal = new MqttSubscription("opt/local", 1);
      noLocal.setNoLocal(true);
      c.subscribe(noLocal, null);
      c.publish("opt/local", "mine", 1, false);
      other.publish("opt/local", "theirs", 1, false);
      assertEquals("theirs", c.next().payload(), "its own message is not sent back");
      assertNull(c.poll(200));

      other.publish("opt/ret", "kept", 1, true);
      MqttSubscription rap = new MqttSubscription("opt/ret", 1);
      rap.setRetainAsPublished(true);
      rap.setRetainHandling(1);
      c.subscribe(rap, null);
      assertTrue(c.next().message().isRetained(), "retained message on a new subscription");
      c.subscribe(rap, null);
      assertNull(c.poll(300), "retain handling 1: not again for an existing subscription");
      other.publish("opt/ret", "live", 1, true);
      V5Client.Arrived live = c.next();
      assertTrue(live.message().isRetained(), "retain as published keeps the flag on a live message");
      MqttSubscription none = new MqttSubscription("opt/#", 1);
      none.setRetainHandling(2);
      try (V5Client third = V5Client.connect(url(), "v5-opts-3")) {
        third.subscribe(none, null);
        assertNull(third.poll(300), "retain handling 2: no retained messages");
      }
    }
  }

  @Test
  void expiredMessagesAreDroppedAndTheRemainingTimeIsSentOn() throws Exception {
    MqttConnectionOptions persistent = V5Client.options();
    persistent.setCleanStart(true);
    persistent.setSessionExpiryInterval(300L);
    V5Client sub = V5Client.connect(url(), "v5-expiry", persistent);
    sub.subscribe(new MqttSubscription("exp/#", 1), null);
    sub.close();
    try (V5Client pub = V5Client.connect(url(), "v5-expiry-p")) {
      MqttProperties shortLived = new MqttProperties();
      shortLived.setMessageExpiryInterval(1L);
      pub.publish("exp/a", new MqttMessage("short".getBytes(), 1, false, shortLived));
      MqttProperties longLived = new MqttProperties();
      longLived.setMessageExpiryInterval(100L);
      pub.publish("exp/a", new MqttMessage("long".getBytes(), 1, false, longLived));
    }
    Thread.sleep(2100);
    MqttConnectionOptions resume = V5Client.options();
    resume.setCleanStart(false);
    resume.setSessionExpiryInterval(300L);
    try (V5Client back = V5Client.connect(url(), "v5-expiry", resume)) {
      assertTrue(back.connectToken.getSessionPresent());
      V5Client.Arrived a = back.next();
      assertEquals("long", a.payload(), "the expired message was dropped");
      long left = a.message().getProperties().getMessageExpiryInterval();
      assertTrue(left > 90 && left < 100, "remaining expiry sent on: " + left);
    }
  }

  @Test
  void sessionExpiresAfterItsInterval() throws Exception {
    MqttConnectionOptions o = V5Client.options();
    o.setCleanStart(true);
    o.setSessionExpiryInterval(1L);
    V5Client c = V5Client.connect(url(), "v5-session-exp", o);
    c.subscribe(new MqttSubscription("se/#", 1), null);
    c.close();
    MqttConnectionOptions back = V5Client.options();
    back.setCleanStart(false);
    back.setSessionExpiryInterval(1L);
    Thread.sleep(2500);
    try (V5Client again = V5Client.connect(url(), "v5-session-exp", back)) {
      assertFalse(again.connectToken.getSessionPresent(), "the session expired");
    }
  }

  /** Paho's publisher uses the aliases our CONNACK allows; outbound aliases are checked with a raw client (RawClientIT). */
  @Test
  void topicAliasesFromThePublisher() throws Exception {
    try (V5Client sub = V5Client.connect(url(), "v5-alias"); V5Client pub = V5Client.connect(url(), "v5-alias-p")) {
      sub.subscribe(new MqttSubscription("alias/#", 0), null);
      for (int i = 0; i < 3; i++) {
        for (String t : List.of("alias/one", "alias/two")) {
          MqttProperties p = new MqttProperties();
          // the publisher names the topic once with alias 1 or 2, then sends the alias alone (Paho fills the name in)
          pub.publish(t, new MqttMessage((t + i).getBytes(), 1, false, p));
        }
      }
      for (int i = 0; i < 3; i++) {
        for (String t : List.of("alias/one", "alias/two")) {
          V5Client.Arrived a = sub.next();
          assertEquals(t, a.topic());
          assertEquals(t + i, a.payload());
        }
      }
    }
  }

  @Test
  void sharedSubscriptionSpreadsMessagesOverTheGroup() throws Exception {
    try (V5Client a = V5Client.connect(url(), "v5-share-a"); V5Client b = V5Client.connect(url(), "v5-share-b");
         V5Client plain = V5Client.connect(url(), "v5-share-plain"); V5Client pub = V5Client.connect(url(), "v5-share-p")) {
      a.subscribe(new MqttSubscription("$share/g/work/#", 1), null);
      b.subscribe(new MqttSubscription("$share/g/work/#", 1), null);
      plain.subscribe(new MqttSubscription("work/#", 1), null);
      for (int i = 0; i < 10; i++) {
        pub.publish("work/item", "w" + i, 1, false);
      }
      for (int i = 0; i < 10; i++) {
        assertEquals("w" + i, plain.next().payload());
      }
      Thread.sleep(300);
      int na = a.inbox.size();
      int nb = b.inbox.size();
      assertEquals(10, na + nb, "each message to exactly one member of the group");
      assertTrue(na > 0 && nb > 0, "spread over both members: " + na + "/" + nb);
    }
  }

  @Test
  void refusedPublishAndSubscribeGetNotAuthorized() throws Exception {
    try (V5Client c = V5Client.connect(url(), "v5-acl")) {
      var t = c.subscribe(new MqttSubscription("secret/x", 1), null);
      assertEquals(0x87, t.getReasonCodes()[0]);
      var tok = c.client.publish("forbidden/x", new MqttMessage("no".getBytes(), 1, false, new MqttProperties()));
      tok.waitForCompletion(10_000);
      assertEquals(0x87, tok.getReasonCodes()[0], "PUBACK says not authorized");
    }
  }

  @Test
  void receiveMaximumLimitsMessagesInFlightToTheClient() throws Exception {
    MqttConnectionOptions o = V5Client.options();
    o.setReceiveMaximum(2);
    try (V5Client sub = new V5Client(url(), "v5-flow"); V5Client pub = V5Client.connect(url(), "v5-flow-p")) {
      sub.client.setManualAcks(true);
      sub.client.connect(o).waitForCompletion(10_000);
      sub.subscribe(new MqttSubscription("flow/#", 1), null);
      for (int i = 0; i < 5; i++) {
        pub.publish("flow/x", "f" + i, 1, false);
      }
      V5Client.Arrived first = sub.next();
      V5Client.Arrived second = sub.next();
      assertNull(sub.poll(500), "no more than Receive Maximum in flight");
      sub.client.messageArrivedComplete(first.message().getId(), 1);
      V5Client.Arrived third = sub.next();
      assertEquals("f2", third.payload());
      sub.client.messageArrivedComplete(second.message().getId(), 1);
      sub.client.messageArrivedComplete(third.message().getId(), 1);
      V5Client.Arrived fourth = sub.next();
      sub.client.messageArrivedComplete(fourth.message().getId(), 1);
      V5Client.Arrived fifth = sub.next();
      assertEquals("f4", fifth.payload());
      sub.client.messageArrivedComplete(fifth.message().getId(), 1);
    }
  }

  @Test
  void messagesOverTheClientsMaximumPacketSizeAreNotSentToIt() throws Exception {
    MqttConnectionOptions o = V5Client.options();
    o.setMaximumPacketSize(200L);
    try (V5Client sub = V5Client.connect(url(), "v5-maxpkt", o); V5Client pub = V5Client.connect(url(), "v5-maxpkt-p")) {
      sub.subscribe(new MqttSubscription("mp/#", 1), null);
      pub.publish("mp/x", "x".repeat(500), 1, false);
      pub.publish("mp/x", "small", 1, false);
      assertEquals("small", sub.next().payload(), "the large one was skipped, the connection kept");
    }
  }

  @Test
  void willDelayAndAssignedClientIdAndServerKeepAlive() throws Exception {
    try (V5Client watch = V5Client.connect(url(), "v5-will-w")) {
      watch.subscribe(new MqttSubscription("lastwill/#", 1), null);
      MqttConnectionOptions o = V5Client.options();
      o.setSessionExpiryInterval(60L);
      o.setKeepAliveInterval(0);
      o.setWill("lastwill/x", new MqttMessage("bye".getBytes(), 1, false, new MqttProperties()));
      MqttProperties wp = new MqttProperties();
      wp.setWillDelayInterval(2L);
      o.setWillMessageProperties(wp);
      V5Client dying = V5Client.connect(url(), "", o);
      MqttProperties connack = dying.connectToken.getResponseProperties();
      assertNotNull(connack.getAssignedClientIdentifier(), "an empty client id gets one assigned");
      assertEquals(300, connack.getServerKeepAlive(), "keep-alive 0 gets the server's");
      long lost = System.nanoTime();
      dying.client.disconnectForcibly(0, 1000, false);
      V5Client.Arrived will = watch.inbox.poll(10, TimeUnit.SECONDS);
      assertNotNull(will, "the will came");
      long after = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lost);
      assertEquals("bye", will.payload());
      assertTrue(after >= 1500, "after its delay: " + after + " ms");
    }
  }

  @Test
  void badPasswordGetsReasonCode0x86() throws Exception {
    MqttConnectionOptions o = V5Client.options();
    o.setPassword("nope".getBytes(StandardCharsets.UTF_8));
    V5Client c = new V5Client(url(), "v5-bad");
    MqttException e = assertThrows(MqttException.class, () -> c.client.connect(o).waitForCompletion(10_000));
    assertEquals(0x86, e.getReasonCode());
  }
}
