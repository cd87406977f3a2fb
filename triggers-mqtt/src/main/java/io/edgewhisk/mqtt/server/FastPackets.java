package io.edgewhisk.mqtt.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import java.util.function.Supplier;

/**
 * Encodes the packets of a message stream (PUBLISH without MQTT 5 properties, and the PUBACK, PUBREC, PUBREL
 * and PUBCOMP that carry only a packet id) straight into a connection's outgoing batch, byte for byte what
 * Netty's {@code MqttEncoder} writes for them. Netty's encoder gives each packet a buffer of its own: at tens of
 * thousands of small messages a second, that allocation and the channel's per-buffer bookkeeping cost more
 * than the routing. Everything else still goes through Netty's encoder.
 */
final class FastPackets {
  private FastPackets() {}

  /**
   * Appends {@code m} to the batch {@code out} supplies if it is one of the packets encoded here and its
   * encoding stays within {@code limit} bytes; answers false (and writes nothing) otherwise. Does not
   * release {@code m}.
   */
  static boolean encode(MqttMessage m, boolean v5, Supplier<ByteBuf> out, int limit) {
    MqttFixedHeader h = m.fixedHeader();
    return switch (h.messageType()) {
      case PUBLISH -> publish((MqttPublishMessage) m, v5, out, limit);
      case PUBACK, PUBREC, PUBREL, PUBCOMP -> reply(h, m.variableHeader(), out);
      default -> false;
    };
  }

  private static boolean publish(MqttPublishMessage m, boolean v5, Supplier<ByteBuf> batch, int limit) {
    MqttPublishVariableHeader vh = m.variableHeader();
    if (v5 && !none(vh.properties())) {
      return false;
    }
    MqttFixedHeader h = m.fixedHeader();
    int qos = h.qosLevel().value();
    int topicBytes = ByteBufUtil.utf8Bytes(vh.topicName());
    ByteBuf payload = m.payload();
    int remaining = 2 + topicBytes + (qos > 0 ? 2 : 0) + (v5 ? 1 : 0) + payload.readableBytes();
    int total = 1 + lengthBytes(remaining) + remaining;
    if (total > limit) {
      return false;
    }
    ByteBuf out = batch.get().ensureWritable(total);
    out.writeByte(firstByte(h));
    writeLength(out, remaining);
    out.writeShort(topicBytes);
    ByteBufUtil.reserveAndWriteUtf8(out, vh.topicName(), topicBytes);
    if (qos > 0) {
      out.writeShort(vh.packetId());
    }
    if (v5) {
      out.writeByte(0); // property length: none
    }
    out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
    return true;
  }

  /**
   * An acknowledgement with only a packet id: always in 3.1.1, and in MQTT 5 when the reason code is Success
   * with no properties, which may then be left out (MQTT 5 §3.4.2.1), as Netty does.
   */
  private static boolean reply(MqttFixedHeader h, Object variableHeader, Supplier<ByteBuf> batch) {
    int id;
    if (variableHeader instanceof MqttPubReplyMessageVariableHeader r) {
      if (r.reasonCode() != 0 || !none(r.properties())) {
        return false;
      }
      id = r.messageId();
    } else if (variableHeader instanceof MqttMessageIdVariableHeader v) {
      id = v.messageId();
    } else {
      return false;
    }
    ByteBuf out = batch.get().ensureWritable(4);
    out.writeByte(firstByte(h));
    out.writeByte(2);
    out.writeShort(id);
    return true;
  }

  /** Netty's {@code MqttProperties.isEmpty()} does not count user properties and subscription identifiers. */
  private static boolean none(MqttProperties props) {
    return props.listAll().isEmpty();
  }

  /** Type, DUP, QoS and RETAIN, as the fixed header says (PUBREL's QoS 1 bits included). */
  private static int firstByte(MqttFixedHeader h) {
    return (h.messageType().value() << 4) | (h.isDup() ? 0x08 : 0) | (h.qosLevel().value() << 1)
        | (h.isRetain() ? 0x01 : 0);
  }

  private static int lengthBytes(int length) {
    return length < 128 ? 1 : length < 16_384 ? 2 : length < 2_097_152 ? 3 : 4;
  }

  private static void writeLength(ByteBuf out, int length) {
    do {
      int digit = length & 0x7F;
      length >>>= 7;
      out.writeByte(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
  }
}
