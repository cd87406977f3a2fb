package io.edgewhisk.mqtt.it;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Packets no well-behaved client sends, over a raw socket: each gets its reason code or a closed connection,
 * nothing crashes, and a bystander client connected all along does not notice.
 */
class RawClientIT {
  static EmbeddedBroker broker;
  V5Client bystander;
  V5Client bystanderPub;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start(Map.of("edgewhisk.mqtt.max-packet-size", 1024, "edgewhisk.mqtt.receive-maximum", 2));
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
  }

  @BeforeEach
  void bystander() throws Exception {
    bystander = V5Client.connect(broker.tcpUrl(), "bystander");
    bystander.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription("calm/#", 1), null);
    bystanderPub = V5Client.connect(broker.tcpUrl(), "bystander-pub");
  }

  @AfterEach
  void bystanderNoticedNothing() throws Exception {
    bystanderPub.publish("calm/x", "still here", 1, false);
    assertEquals("still here", bystander.next().payload());
    assertTrue(bystander.client.isConnected());
    bystander.close();
    bystanderPub.close();
  }

  static MqttProperties props(int id, int value) {
    MqttProperties p = new MqttProperties();
    p.add(new MqttProperties.IntegerProperty(id, value));
    return p;
  }

  @Test
  void randomBytesCloseTheConnection() throws Exception {
    byte[] junk = new byte[512];
    new Random(42).nextBytes(junk);
    junk[0] = 0x00; // a reserved packet type
    try (RawClient c = new RawClient(broker.port())) {
      c.writeBytes(junk);
      assertTrue(c.closedByBroker());
    }
  }

  @Test
  void aRemainingLengthOfMoreThanFourBytesClosesTheConnection() throws Exception {
    try (RawClient c = new RawClient(broker.port())) {
      c.writeBytes(new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01});
      assertTrue(c.closedByBroker());
    }
  }

  @Test
  void aTruncatedPacketIsNeverProcessed() throws Exception {
    try (RawClient c = new RawClient(broker.port())) {
      c.writeBytes(new byte[] {0x10, 0x20, 0x00, 0x04, 'M', 'Q'}); // a CONNECT cut short, then silence
      assertNull(c.read(), "no CONNACK for half a CONNECT");
    }
  }

  @Test
  void aBadProtocolNameIsRefused() throws Exception {
    try (RawClient c = new RawClient(broker.port())) {
      c.writeBytes(new byte[] {0x10, 0x0D, 0x00, 0x04, 'M', 'Q', 'T', 'X', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x01, 'a'});
      MqttMessage m = c.read();
      assertNotNull(m, "a CONNACK");
      assertEquals(0x01, ((MqttConnAckMessage) m).variableHeader().connectReturnCode().byteValue() & 0xFF,
          "unacceptable protocol version");
      assertTrue(c.closedByBroker());
    }
  }

  @Test
  void aPublishBeforeConnectClosesTheConnection() throws Exception {
    try (RawClient c = new RawClient(broker.port())) {
      c.writeBytes(new byte[] {0x30, 0x05, 0x00, 0x01, 'x', 'h', 'i'});
      assertTrue(c.closedByBroker());
    }
  }

  @Test
  void packetsSentRightBehindConnectAreHandledAfterItsConnackInOrder() throws Exception {
    try (RawClient c = new RawClient(broker.port())) {
      // one write; the password was checked before (by the bystanders), so CONNECT is answered at once
      c.connect("raw-eager", MqttVersion.MQTT_3_1_1, MqttProperties.NO_PROPERTIES, EmbeddedBroker.PASSWORD,
          List.of(publish(1), publish(2), publish(3)));
      assertEquals(MqttMessageType.CONNACK, c.read().fixedHeader().messageType());
      for (int id = 1; id <= 3; id++) {
        MqttMessage ack = c.read();
        assertNotNull(ack, "PUBACK " + id);
        assertEquals(MqttMessageType.PUBACK, ack.fixedHeader().messageType());
        assertEquals(id, ((MqttMessageIdVariableHeader) ack.variableHeader()).messageId());
      }
      for (int id = 1; id <= 3; id++) {
        assertEquals(String.valueOf(id), bystander.next().payload());
      }
    }
  }

  @Test
  void packetsRightBehindAConnectWhosePasswordIsBeingCheckedWaitAndGoNowhereWhenItIsWrong() throws Exception {
    try (RawClient c = new RawClient(broker.port())) {
      // a password never seen is checked on a worker thread; the PUBLISH read meanwhile waits for the answer
      c.connect("raw-wrong", MqttVersion.MQTT_3_1_1, MqttProperties.NO_PROPERTIES, "not the password",
          List.of(publish(1)));
      MqttMessage m = c.read();
      assertNotNull(m, "a CONNACK, not a connection closed over the PUBLISH behind it");
      assertEquals(0x04, ((MqttConnAckMessage) m).variableHeader().connectReturnCode().byteValue() & 0xFF,
          "bad user name or password");
      assertTrue(c.closedByBroker());
      // the bystander's next message is its own "still here" (checked after each test), not this PUBLISH
    }
  }

  private static MqttPublishMessage publish(int id) {
    return MqttMessageBuilders.publish().topicName("calm/eager").qos(MqttQoS.AT_LEAST_ONCE).messageId(id)
        .payload(Unpooled.copiedBuffer(new byte[] {(byte) ('0' + id)})).build();
  }

  @Test
  void aSecondConnectIsAProtocolError() throws Exception {
    try (RawClient c = new RawClient(broker.port())) {
      c.connect("raw-twice", MqttVersion.MQTT_5, MqttProperties.NO_PROPERTIES);
      assertEquals(MqttMessageType.CONNACK, c.read().fixedHeader().messageType());
      c.connect("raw-twice", MqttVersion.MQTT_5, MqttProperties.NO_PROPERTIES);
      MqttMessage d = c.read();
      assertEquals(MqttMessageType.DISCONNECT, d.fixedHeader().messageType());
      assertEquals(0x82, ((MqttReasonCodeAndPropertiesVariableHeader) d.variableHeader()).reasonCode() & 0xFF);
      assertTrue(c.closedByBroker());
    }
  }

  @Test
  void anOversizePacketGetsDisconnect0x95() throws Exception {
    try (RawClient c = new RawClient(broker.port())) {
      c.connect("raw-big", MqttVersion.MQTT_5, MqttProperties.NO_PROPERTIES);
      MqttConnAckMessage ack = (MqttConnAckMessage) c.read();
      assertEquals(1024, ack.variableHeader().properties().getProperty(MqttProperties.MAXIMUM_PACKET_SIZE).value(),
          "the maximum is announced");
      c.send(MqttMessageBuilders.publish().topicName("big").qos(MqttQoS.AT_MOST_ONCE)
          .payload(Unpooled.wrappedBuffer(new byte[2000])).build(), MqttVersion.MQTT_5);
      MqttMessage d = c.read();
      assertEquals(MqttMessageType.DISCONNECT, d.fixedHeader().messageType());
      assertEquals(0x95, ((MqttReasonCodeAndPropertiesVariableHeader) d.variableHeader()).reasonCode() & 0xFF);
      assertTrue(c.closedByBroker());
    }
  }

  @Test
  void moreUnacknowledgedQos2ThanReceiveMaximumIsRefused() throws Exception {
    try (RawClient c = new RawClient(broker.port())) {
      c.connect("raw-flood", MqttVersion.MQTT_5, MqttProperties.NO_PROPERTIES);
      MqttConnAckMessage ack = (MqttConnAckMessage) c.read();
      assertEquals(2, ack.variableHeader().properties().getProperty(MqttProperties.RECEIVE_MAXIMUM).value());
      for (int id = 1; id <= 3; id++) { // never sends PUBREL, so all three stay unacknowledged
        c.send(MqttMessageBuilders.publish().topicName("flood").qos(MqttQoS.EXACTLY_ONCE).messageId(id)
            .payload(Unpooled.wrappedBuffer(new byte[] {1})).build(), MqttVersion.MQTT_5);
      }
      int disconnect = -1;
      for (MqttMessage m = c.read(); m != null; m = c.read()) {
        if (m.fixedHeader().messageType() == MqttMessageType.DISCONNECT) {
          disconnect = ((MqttReasonCodeAndPropertiesVariableHeader) m.variableHeader()).reasonCode() & 0xFF;
        }
      }
      assertEquals(0x93, disconnect, "receive maximum exceeded");
    }
  }

  @Test
  void outboundTopicAliasesUpToTheClientsMaximum() throws Exception {
    try (RawClient c = new RawClient(broker.port())) {
      c.connect("raw-alias", MqttVersion.MQTT_5, props(MqttProperties.TOPIC_ALIAS_MAXIMUM, 2));
      assertEquals(MqttMessageType.CONNACK, c.read().fixedHeader().messageType());
      c.send(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.AT_MOST_ONCE, "ra/#").build(),
          MqttVersion.MQTT_5);
      assertEquals(MqttMessageType.SUBACK, c.read().fixedHeader().messageType());
      for (String t : List.of("ra/a", "ra/a", "ra/b", "ra/c")) {
        bystanderPub.publish(t, t, 0, false);
      }
      String[][] expected = {{"ra/a", "1"}, {"", "1"}, {"ra/b", "2"}, {"ra/c", null}};
      for (String[] e : expected) {
        MqttPublishMessage p = (MqttPublishMessage) c.read();
        MqttPublishVariableHeader h = p.variableHeader();
        assertEquals(e[0], h.topicName());
        MqttProperties.MqttProperty<?> alias = h.properties().getProperty(MqttProperties.TOPIC_ALIAS);
        assertEquals(e[1], alias == null ? null : alias.value().toString());
        p.release();
      }
    }
  }

  @Test
  void anUnknownInboundTopicAliasIsAProtocolError() throws Exception {
    try (RawClient c = new RawClient(broker.port())) {
      c.connect("raw-badalias", MqttVersion.MQTT_5, MqttProperties.NO_PROPERTIES);
      c.read();
      MqttFixedHeader fh = new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_MOST_ONCE, false, 0);
      c.send(new MqttPublishMessage(fh, new MqttPublishVariableHeader("", 0, props(MqttProperties.TOPIC_ALIAS, 7)),
          Unpooled.wrappedBuffer(new byte[] {1})), MqttVersion.MQTT_5);
      MqttMessage d = c.read();
      assertEquals(MqttMessageType.DISCONNECT, d.fixedHeader().messageType());
      assertEquals(0x82, ((MqttReasonCodeAndPropertiesVariableHeader) d.variableHeader()).reasonCode() & 0xFF);
    }
  }
}
