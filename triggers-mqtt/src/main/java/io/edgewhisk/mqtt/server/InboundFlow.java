package io.edgewhisk.mqtt.server;

import static io.edgewhisk.mqtt.server.ReasonCodes.*;

import io.edgewhisk.mqtt.broker.Broker;
import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.edgewhisk.mqtt.broker.Subscription;
import io.edgewhisk.mqtt.broker.Topics;
import io.edgewhisk.mqtt.config.MqttConfig;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a connected client sends the broker: PUBLISH with its QoS 1 and 2 acknowledgements (sent only once
 * the message is durable), SUBSCRIBE and UNSUBSCRIBE with access rules, topic aliases and Receive Maximum.
 */
final class InboundFlow {
  private final MqttConnection connection;
  private final Broker broker;
  private final MqttConfig config;
  /** Inbound QoS 2 messages whose durable write is still pending, so a duplicate waits for the same one. */
  private final Map<Integer, Future<Void>> qos2Pending = new HashMap<>();
  private int unacknowledged;
  /** The access rules' answers for topics this client published to: a sensor repeats its few topics. */
  private final Map<String, Boolean> publishAllowed = new HashMap<>();

  InboundFlow(MqttConnection connection, Broker broker, MqttConfig config) {
    this.connection = connection;
    this.broker = broker;
    this.config = config;
  }

  void publish(MqttPublishMessage m) {
    MqttPublishVariableHeader h = m.variableHeader();
    int qos = m.fixedHeader().qosLevel().value();
    int id = h.packetId();
    String topic = topic(h);
    if (topic == null) {
      return;
    }
    if (qos > 0 && ++unacknowledged > config.receiveMaximum()) {
      connection.disconnect(RECEIVE_MAXIMUM_EXCEEDED, "receive maximum exceeded");
      return;
    }
    byte[] payload = ByteBufUtil.getBytes(m.payload());
    broker.stats().received(payload.length);
    if (!mayPublish(topic)) {
      refused(qos, id);
      return;
    }
    long expiry = InboundProperties.integer(h.properties(), MqttProperties.PUBLICATION_EXPIRY_INTERVAL, 0);
    long now = System.currentTimeMillis();
    PublishedMessage msg = new PublishedMessage(topic, payload, qos, m.fixedHeader().isRetain(),
        InboundProperties.message(h.properties()), expiry == 0 ? 0 : now + expiry * 1000, connection.clientId());
    switch (qos) {
      case 0 -> broker.publish(msg);
      case 1 -> broker.publish(msg).onComplete(ar -> acknowledge(MqttMessageType.PUBACK, id, ar.succeeded()));
      default -> {
        if (connection.session().firstReceipt(id)) {
          Future<Void> durable = broker.publish(msg);
          qos2Pending.put(id, durable);
          durable.onComplete(ar -> qos2Pending.remove(id));
          durable.onComplete(ar -> acknowledge(MqttMessageType.PUBREC, id, ar.succeeded()));
        } else {
          // a duplicate before PUBREL: not routed again, acknowledged once the first copy is durable
          unacknowledged--;
          Future<Void> first = qos2Pending.getOrDefault(id, Future.succeededFuture());
          first.onComplete(ar -> acknowledge(MqttMessageType.PUBREC, id, ar.succeeded()));
        }
      }
    }
  }

  private boolean mayPublish(String topic) {
    Boolean allowed = publishAllowed.get(topic);
    if (allowed == null) {
      if (publishAllowed.size() >= 256) {
        publishAllowed.clear();
      }
      allowed = connection.principal().mayPublish(topic, connection.clientId());
      publishAllowed.put(topic, allowed);
    }
    return allowed;
  }

  /** The topic of a PUBLISH, through its topic alias; null (the connection closed) if invalid. */
  private String topic(MqttPublishVariableHeader h) {
    String topic = h.topicName();
    Integer alias = connection.v5() ? InboundProperties.integer(h.properties(), MqttProperties.TOPIC_ALIAS) : null;
    if (alias != null) {
      if (!connection.aliases().validInbound(alias)) {
        connection.disconnect(TOPIC_ALIAS_INVALID, "topic alias " + alias + " out of range");
        return null;
      }
      if (topic.isEmpty()) {
        topic = connection.aliases().resolve(alias);
        if (topic == null) {
          connection.disconnect(PROTOCOL_ERROR, "topic alias " + alias + " was never set");
          return null;
        }
      } else {
        connection.aliases().define(alias, topic);
      }
    }
    if (!Topics.isValidTopicName(topic)) {
      connection.disconnect(TOPIC_NAME_INVALID, "invalid topic name");
      return null;
    }
    return topic;
  }

  /** A PUBLISH the access rules refuse: dropped; MQTT 5 is told so with 0x87, 3.1.1 gets a plain acknowledgement. */
  private void refused(int qos, int id) {
    if (qos == 1) {
      acknowledgeWith(MqttMessageType.PUBACK, id, NOT_AUTHORIZED);
    } else if (qos == 2) {
      if (connection.v5()) {
        acknowledgeWith(MqttMessageType.PUBREC, id, NOT_AUTHORIZED); // a PUBREC >= 0x80 ends the flow
      } else {
        connection.session().firstReceipt(id); // so that its PUBREL gets a PUBCOMP
        acknowledgeWith(MqttMessageType.PUBREC, id, SUCCESS);
      }
    }
  }

  private void acknowledge(MqttMessageType type, int id, boolean durable) {
    if (!durable && !connection.v5()) {
      // 3.1.1 has no failure code: close without acknowledging, so the client sends it again
      connection.disconnect(UNSPECIFIED_ERROR, "storage failed");
      return;
    }
    acknowledgeWith(type, id, durable ? SUCCESS : UNSPECIFIED_ERROR);
  }

  private void acknowledgeWith(MqttMessageType type, int id, int reason) {
    if (type == MqttMessageType.PUBACK || reason >= 0x80) {
      unacknowledged--;
    }
    if (type == MqttMessageType.PUBREC && reason >= 0x80) {
      connection.session().released(id);
    }
    connection.write(Packets.pubReply(type, id, reason, connection.v5()));
  }

  void pubrel(int id) {
    boolean known = connection.session().released(id);
    if (known) {
      unacknowledged--;
    }
    connection.write(Packets.pubReply(MqttMessageType.PUBCOMP, id, known ? SUCCESS : PACKET_ID_NOT_FOUND,
        connection.v5()));
  }

  void subscribe(MqttSubscribeMessage m) {
    int id = m.variableHeader().messageId();
    Integer subscriptionId = InboundProperties.integer(m.idAndPropertiesVariableHeader().properties(),
        MqttProperties.SUBSCRIPTION_IDENTIFIER);
    List<Integer> codes = new ArrayList<>();
    List<Subscription> accepted = new ArrayList<>();
    for (MqttTopicSubscription t : m.payload().topicSubscriptions()) {
      Subscription sub = subscription(t, subscriptionId == null ? 0 : subscriptionId);
      int code = check(sub, t.topicFilter());
      codes.add(code);
      if (code < 0x80) {
        accepted.add(sub);
      }
    }
    broker.subscribe(connection.session(), accepted).onComplete(ar -> {
      if (ar.failed()) {
        connection.disconnect(UNSPECIFIED_ERROR, "storage failed");
        return;
      }
      connection.write(Packets.subAck(id, codes));
      for (int i = 0; i < accepted.size(); i++) {
        broker.sendRetained(connection.session(), accepted.get(i), ar.result().get(i));
      }
    });
  }

  private Subscription subscription(MqttTopicSubscription t, int identifier) {
    MqttSubscriptionOption o = t.option();
    Topics.Shared shared = Topics.parseShared(t.topicFilter());
    return new Subscription(connection.clientId(), shared == null ? t.topicFilter() : shared.filter(),
        shared == null ? null : shared.group(), Math.min(2, o.qos().value()), o.isNoLocal(),
        o.isRetainAsPublished(), o.retainHandling().value(), identifier);
  }

  /** The SUBACK code for one subscription: the granted QoS, or a failure. */
  private int check(Subscription sub, String written) {
    int failure = connection.v5() ? TOPIC_FILTER_INVALID : V3_SUBACK_FAILURE;
    Topics.Shared shared = Topics.parseShared(written);
    if (shared != null && (!shared.valid() || sub.noLocal())) {
      return failure;
    }
    if (shared == null && !Topics.isValidFilter(written)) {
      return failure;
    }
    if (!connection.principal().maySubscribe(sub.filter(), connection.clientId())) {
      return connection.v5() ? NOT_AUTHORIZED : V3_SUBACK_FAILURE;
    }
    return sub.qos();
  }

  void unsubscribe(MqttUnsubscribeMessage m) {
    int id = m.variableHeader().messageId();
    List<Future<Boolean>> results = new ArrayList<>();
    for (String filter : m.payload().topics()) {
      results.add(broker.unsubscribe(connection.session(), filter));
    }
    Future.all(results).onComplete(ar -> {
      List<Short> codes = new ArrayList<>();
      for (Future<Boolean> f : results) {
        codes.add((short) (f.succeeded() && f.result() ? SUCCESS : NO_SUBSCRIPTION_EXISTED));
      }
      connection.write(Packets.unsubAck(id, codes));
    });
  }
}
