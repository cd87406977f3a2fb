package io.edgewhisk.mqtt.server;

import io.edgewhisk.mqtt.broker.MessageProperties;
import io.netty.handler.codec.mqtt.MqttProperties;
import java.util.ArrayList;
import java.util.List;

/** Reads MQTT 5 properties from Netty's decoded form. */
final class InboundProperties {
  private InboundProperties() {}

  static Integer integer(MqttProperties props, int id) {
    MqttProperties.MqttProperty<?> p = props == null ? null : props.getProperty(id);
    return p == null ? null : (Integer) p.value();
  }

  static long integer(MqttProperties props, int id, long dflt) {
    Integer v = integer(props, id);
    return v == null ? dflt : Integer.toUnsignedLong(v);
  }

  static String string(MqttProperties props, int id) {
    MqttProperties.MqttProperty<?> p = props == null ? null : props.getProperty(id);
    return p == null ? null : (String) p.value();
  }

  static byte[] binary(MqttProperties props, int id) {
    MqttProperties.MqttProperty<?> p = props == null ? null : props.getProperty(id);
    return p == null ? null : (byte[]) p.value();
  }

  /** The message properties that travel on with a PUBLISH or a will, user properties in their order. */
  static MessageProperties message(MqttProperties props) {
    // not props.isEmpty(): Netty's answers true when the only properties are user properties
    if (props == null || props.listAll().isEmpty()) {
      return MessageProperties.NONE;
    }
    List<MessageProperties.UserProperty> users = new ArrayList<>();
    for (MqttProperties.MqttProperty<?> p : props.getProperties(MqttProperties.USER_PROPERTY)) {
      if (p instanceof MqttProperties.UserProperties all) {
        all.value().forEach(pair -> users.add(new MessageProperties.UserProperty(pair.key, pair.value)));
      } else if (p instanceof MqttProperties.UserProperty one) {
        users.add(new MessageProperties.UserProperty(one.value().key, one.value().value));
      }
    }
    return new MessageProperties(integer(props, MqttProperties.PAYLOAD_FORMAT_INDICATOR),
        string(props, MqttProperties.CONTENT_TYPE), string(props, MqttProperties.RESPONSE_TOPIC),
        binary(props, MqttProperties.CORRELATION_DATA), users);
  }
}
