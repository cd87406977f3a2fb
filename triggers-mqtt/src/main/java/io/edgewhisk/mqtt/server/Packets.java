package io.edgewhisk.mqtt.server;

import io.edgewhisk.mqtt.broker.Delivery;
import io.edgewhisk.mqtt.broker.MessageProperties;
import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import java.util.List;

/** Builds the packets the broker sends, in Netty's MQTT message types (the encoder picks 3.1.1 or 5 framing). */
final class Packets {
  private Packets() {}

  static MqttMessage connAck(int code, boolean sessionPresent, MqttProperties props) {
    return new MqttConnAckMessage(header(MqttMessageType.CONNACK, MqttQoS.AT_MOST_ONCE),
        new MqttConnAckVariableHeader(MqttConnectReturnCode.valueOf((byte) code), sessionPresent, props));
  }

  /** PUBACK, PUBREC, PUBREL or PUBCOMP; MQTT 5 gets the reason code, 3.1.1 only the packet id. */
  static MqttMessage pubReply(MqttMessageType type, int packetId, int reason, boolean v5) {
    MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
    MqttMessageIdVariableHeader vh = v5
        ? new MqttPubReplyMessageVariableHeader(packetId, (byte) reason, MqttProperties.NO_PROPERTIES)
        : MqttMessageIdVariableHeader.from(packetId);
    return new MqttMessage(header(type, qos), vh);
  }

  static MqttMessage subAck(int packetId, List<Integer> codes) {
    return new MqttSubAckMessage(header(MqttMessageType.SUBACK, MqttQoS.AT_MOST_ONCE),
        new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
        new MqttSubAckPayload(codes));
  }

  static MqttMessage unsubAck(int packetId, List<Short> codes) {
    return new MqttUnsubAckMessage(header(MqttMessageType.UNSUBACK, MqttQoS.AT_MOST_ONCE),
        new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
        new MqttUnsubAckPayload(codes));
  }

  static MqttMessage pingResp() {
    return new MqttMessage(header(MqttMessageType.PINGRESP, MqttQoS.AT_MOST_ONCE));
  }

  static MqttMessage disconnect(int reason, String reasonString) {
    MqttProperties props = new MqttProperties();
    if (reasonString != null) {
      props.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, reasonString));
    }
    return new MqttMessage(header(MqttMessageType.DISCONNECT, MqttQoS.AT_MOST_ONCE),
        new MqttReasonCodeAndPropertiesVariableHeader((byte) reason, props));
  }

  /**
   * A PUBLISH of a delivery. {@code alias} is the outbound topic alias (0: none) and {@code aliasKnown} whether
   * the client already has it, in which case the topic is left empty.
   */
  static MqttPublishMessage publish(Delivery d, int packetId, boolean dup, boolean v5, int alias, boolean aliasKnown,
                                    long now) {
    PublishedMessage m = d.message();
    MqttProperties props = MqttProperties.NO_PROPERTIES;
    if (v5) {
      props = new MqttProperties();
      MessageProperties p = m.properties();
      if (p.payloadFormat() != null) {
        props.add(new MqttProperties.IntegerProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR, p.payloadFormat()));
      }
      if (m.expiresAt() != 0) {
        props.add(new MqttProperties.IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL,
            (int) m.remainingExpirySeconds(now)));
      }
      if (p.contentType() != null) {
        props.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, p.contentType()));
      }
      if (p.responseTopic() != null) {
        props.add(new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, p.responseTopic()));
      }
      if (p.correlationData() != null) {
        props.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, p.correlationData()));
      }
      for (MessageProperties.UserProperty u : p.userProperties()) {
        props.add(new MqttProperties.UserProperty(u.name(), u.value()));
      }
      for (int id : d.subscriptionIds()) {
        props.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, id));
      }
      if (alias > 0) {
        props.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS, alias));
      }
    }
    MqttFixedHeader fh = new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(d.qos()), d.retain(), 0);
    String topic = alias > 0 && aliasKnown ? "" : m.topic();
    return new MqttPublishMessage(fh, new MqttPublishVariableHeader(topic, packetId, props),
        Unpooled.wrappedBuffer(m.payload()));
  }

  private static MqttFixedHeader header(MqttMessageType type, MqttQoS qos) {
    return new MqttFixedHeader(type, false, qos, false, 0);
  }
}
