package io.edgewhisk.mqtt.feed;

import io.edgewhisk.model.Identity;
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
 * broker would PUBACK it). Bad arguments answer {@code {"error": …}}, an application error.
 */
public final class PublishAction implements InProcessAction {
  public static final String ACTION = "mqtt/publish";
  private final Broker broker;
  private final Context brokerContext;

  public PublishAction(Broker broker, Context brokerContext) {
    this.broker = Objects.requireNonNull(broker, "broker");
    this.brokerContext = Objects.requireNonNull(brokerContext, "brokerContext");
  }

  @Override
  public Future<JsonObject> run(Identity who, JsonObject args) {
    PublishedMessage m;
    try {
      m = message(who, args);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(new JsonObject().put("error", e.getMessage()));
    }
    Promise<JsonObject> answer = Promise.promise();
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

  private static PublishedMessage message(Identity who, JsonObject args) {
    Object t = args.getValue("topic");
    if (!(t instanceof String topic) || !Topics.isValidTopicName(topic) || topic.startsWith("$")) {
      throw new IllegalArgumentException("topic must be an MQTT topic name without wildcards, not a $ topic");
    }
    String broker = args.getString("broker", "embedded");
    if (!broker.equals("embedded")) {
      throw new IllegalArgumentException("broker '" + broker + "' is not known; use 'embedded'");
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
