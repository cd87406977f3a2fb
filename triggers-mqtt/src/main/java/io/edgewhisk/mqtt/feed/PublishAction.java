package io.edgewhisk.mqtt.feed;

import io.edgewhisk.model.Identity;
import io.edgewhisk.mqtt.bridge.Bridge;
import io.edgewhisk.mqtt.bridge.Bridges;
import io.edgewhisk.mqtt.broker.Broker;
import io.edgewhisk.mqtt.broker.MessageProperties;
import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.edgewhisk.mqtt.broker.Topics;
import io.edgewhisk.spi.InProcessAction;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code /whisk.system/mqtt/publish}: an action sends a message into the embedded broker (to drive an
 * actuator). Answers once the message is handed over (QoS 0) or durable and routed (QoS 1 and 2, as the
 * broker would PUBACK it); with {@code broker = NAME}, once it waits in that bridge's outbox (durably for QoS 1
 * and 2: the bridge sends it when its link is up). Bad arguments answer {@code {"error": …}}, an application error.
 */
public final class PublishAction implements InProcessAction {
  public static final String ACTION = "mqtt/publish";
  private final Broker broker;
  private final Context brokerContext;
  private final Bridges bridges;

  public PublishAction(Broker broker, Context brokerContext, Bridges bridges) {
    this.broker = Objects.requireNonNull(broker, "broker");
    this.brokerContext = Objects.requireNonNull(brokerContext, "brokerContext");
    this.bridges = Objects.requireNonNull(bridges, "bridges");
  }

  @Override
  public Future<JsonObject> run(Identity who, JsonObject args) {
    PublishedMessage m;
    Bridge bridge;
    try {
      String name = args.getValue("broker", "embedded") instanceof String s ? s : "";
      bridge = name.equals("embedded") ? null : bridges.get(name);
      if (!name.equals("embedded") && bridge == null) {
        throw new IllegalArgumentException("broker '" + name + "' is not known; use 'embedded' or a configured bridge"
            + (bridges.names().isEmpty() ? "" : " (" + String.join(", ", bridges.names()) + ")"));
      }
      m = message(who, args);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(new JsonObject().put("error", e.getMessage()));
    }
    Promise<JsonObject> answer = Promise.promise();
    if (bridge != null) {
      brokerContext.runOnContext(v -> bridge.publish(m).onComplete(ar -> answer.complete(bridged(bridge, m, ar))));
      return answer.future();
    }
    brokerContext.runOnContext(v -> broker.publish(m).onComplete(ar -> {
      if (ar.succeeded()) {
        answer.complete(new JsonObject().put("topic", m.topic()).put("qos", m.qos()).put("retain", m.retain())
            .put("status", m.qos() == 0 ? "sent" : "acknowledged"));
      } else {
        answer.complete(new JsonObject().put("error", "the broker could not store the message: "
            + ar.cause().getMessage()));
      }
    }));
    return answer.future();
  }

  /** A message for a bridge is answered once it is in the bridge's outbox (durably for QoS 1 and 2). */
  private static JsonObject bridged(Bridge bridge, PublishedMessage m, io.vertx.core.AsyncResult<Boolean> ar) {
    if (ar.failed()) {
      return new JsonObject().put("error", "the bridge's outbox could not store the message: " + ar.cause().getMessage());
    }
    if (!ar.result()) {
      return new JsonObject().put("error", "the outbox of bridge " + bridge.name() + " is full; the message was dropped");
    }
    return new JsonObject().put("topic", m.topic()).put("qos", m.qos()).put("retain", m.retain())
        .put("broker", bridge.name()).put("status", "queued");
  }

  private static PublishedMessage message(Identity who, JsonObject args) {
    Object t = args.getValue("topic");
    if (!(t instanceof String topic) || !Topics.isValidTopicName(topic) || topic.startsWith("$")) {
      throw new IllegalArgumentException("topic must be an MQTT topic name without wildcards, not a $ topic");
    }
    Object q = args.getValue("qos", 1);
    if (!(q instanceof Number n) || n.intValue() < 0 || n.intValue() > 2) {
      throw new IllegalArgumentException("qos must be 0, 1 or 2");
    }
    Object p = args.getValue("payload");
    byte[] payload = p == null ? new byte[0] : p instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
        : io.vertx.core.json.Json.encode(p).getBytes(StandardCharsets.UTF_8);
    Object retain = args.getValue("retain", false);
    if (!(retain instanceof Boolean)) {
      throw new IllegalArgumentException("retain must be true or false");
    }
    long expiry = args.getLong("message_expiry", 0L);
    return new PublishedMessage(topic, payload, n.intValue(), (Boolean) retain, properties(args),
        expiry > 0 ? System.currentTimeMillis() + expiry * 1000 : 0, "$action:" + who.namespace());
  }

  private static MessageProperties properties(JsonObject args) {
    List<MessageProperties.UserProperty> users = new ArrayList<>();
    Object u = args.getValue("user_properties");
    if (u instanceof JsonObject o) {
      for (Map.Entry<String, Object> e : o) {
        users.add(new MessageProperties.UserProperty(e.getKey(), String.valueOf(e.getValue())));
      }
    } else if (u instanceof JsonArray a) {
      for (Object pair : a) {
        if (!(pair instanceof JsonArray kv) || kv.size() != 2) {
          throw new IllegalArgumentException("user_properties must be an object or a list of [name, value] pairs");
        }
        users.add(new MessageProperties.UserProperty(String.valueOf(kv.getValue(0)), String.valueOf(kv.getValue(1))));
      }
    } else if (u != null) {
      throw new IllegalArgumentException("user_properties must be an object or a list of [name, value] pairs");
    }
    String correlation = args.getString("correlation_data");
    return new MessageProperties(null, args.getString("content_type"), args.getString("response_topic"),
        correlation == null ? null : correlation.getBytes(StandardCharsets.UTF_8), users);
  }
}
