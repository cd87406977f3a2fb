package io.edgewhisk.mqtt.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The batch encoder writes exactly the bytes Netty's encoder writes, and leaves alone what it does not encode. */
class FastPacketsTest {
  private static final AttributeKey<MqttVersion> VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

  @Test
  void publishesAreEncodedAsNettyEncodesThem() {
    byte[] big = new byte[300];
    for (boolean v5 : new boolean[] {false, true}) {
      for (MqttQoS qos : List.of(MqttQoS.AT_MOST_ONCE, MqttQoS.AT_LEAST_ONCE, MqttQoS.EXACTLY_ONCE)) {
        for (boolean flags : new boolean[] {false, true}) {
          for (byte[] payload : List.of(new byte[0], "hello".getBytes(StandardCharsets.UTF_8), big)) {
            MqttProperties props = v5 ? new MqttProperties() : MqttProperties.NO_PROPERTIES;
            assertEncodedAsNetty(publish("sensors/température/ü", qos, flags, payload, props), v5);
          }
        }
      }
    }
  }

  @Test
  void acknowledgementsAreEncodedAsNettyEncodesThem() {
    for (MqttMessageType type : List.of(MqttMessageType.PUBACK, MqttMessageType.PUBREC, MqttMessageType.PUBREL,
        MqttMessageType.PUBCOMP)) {
      MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
      MqttFixedHeader h = new MqttFixedHeader(type, false, qos, false, 0);
      assertEncodedAsNetty(new MqttMessage(h, MqttMessageIdVariableHeader.from(513)), false);
      assertEncodedAsNetty(new MqttMessage(h, new MqttPubReplyMessageVariableHeader(65535, (byte) 0,
          MqttProperties.NO_PROPERTIES)), true);
    }
  }

  @Test
  void packetsWithPropertiesOrReasonCodesAreLeftToNetty() {
    MqttProperties user = new MqttProperties();
    user.add(new MqttProperties.UserProperty("sensor", "s0"));
    assertFalse(encodes(publish("a/b", MqttQoS.AT_LEAST_ONCE, false, new byte[1], user), true));
    MqttProperties expiry = new MqttProperties();
    expiry.add(new MqttProperties.IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL, 5));
    assertFalse(encodes(publish("a/b", MqttQoS.AT_MOST_ONCE, false, new byte[1], expiry), true));
    MqttFixedHeader h = new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0);
    assertFalse(encodes(new MqttMessage(h, new MqttPubReplyMessageVariableHeader(1, (byte) 0x87,
        MqttProperties.NO_PROPERTIES)), true));
    assertFalse(encodes(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE,
        false, 0)), false));
  }

  @Test
  void aPublishOverTheLimitIsLeftToNetty() {
    MqttPublishMessage m = publish("a", MqttQoS.AT_MOST_ONCE, false, new byte[100], MqttProperties.NO_PROPERTIES);
    ByteBuf out = Unpooled.buffer();
    assertFalse(FastPackets.encode(m, false, () -> out, 50));
    assertFalse(out.isReadable());
    assertTrue(FastPackets.encode(m, false, () -> out, 200));
    m.release();
  }

  private static MqttPublishMessage publish(String topic, MqttQoS qos, boolean flags, byte[] payload,
                                            MqttProperties props) {
    return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, flags && qos != MqttQoS.AT_MOST_ONCE,
        qos, flags, 0), new MqttPublishVariableHeader(topic, qos == MqttQoS.AT_MOST_ONCE ? 0 : 4242, props),
        Unpooled.wrappedBuffer(payload));
  }

  private static boolean encodes(MqttMessage m, boolean v5) {
    ByteBuf out = Unpooled.buffer();
    try {
      return FastPackets.encode(m, v5, () -> out, NetTransport.BATCH_BYTES);
    } finally {
      out.release();
    }
  }

  private static void assertEncodedAsNetty(MqttMessage m, boolean v5) {
    ByteBuf fast = Unpooled.buffer();
    fast.writeByte(0x5A); // something already in the batch stays in front
    assertTrue(FastPackets.encode(m, v5, () -> fast, NetTransport.BATCH_BYTES), m.toString());
    EmbeddedChannel netty = new EmbeddedChannel(MqttEncoder.INSTANCE);
    netty.attr(VERSION).set(v5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1);
    netty.writeOutbound(m); // releases m
    ByteBuf expected = netty.readOutbound();
    byte[] want = new byte[expected.readableBytes() + 1];
    want[0] = 0x5A;
    expected.readBytes(want, 1, expected.readableBytes());
    expected.release();
    netty.finishAndReleaseAll();
    assertArrayEquals(want, ByteBufUtil.getBytes(fast), m.toString());
    fast.release();
  }
}
