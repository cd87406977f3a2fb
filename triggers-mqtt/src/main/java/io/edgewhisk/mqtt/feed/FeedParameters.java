package io.edgewhisk.mqtt.feed;

import io.edgewhisk.model.WhiskException;
import io.edgewhisk.mqtt.broker.Topics;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** Checks the feed's parameters; a bad one is a 400 with a message naming it, as OpenWhisk's providers answer. */
final class FeedParameters {
  static final Set<String> FORMATS = Set.of("json", "text", "base64");
  private final Set<String> brokers;

  FeedParameters(Set<String> brokers) {
    this.brokers = Set.copyOf(brokers);
  }

  FeedRegistration create(String trigger, String namespace, JsonObject args, long now) {
    return merge(new FeedRegistration(trigger, namespace, "", 1, "embedded", "json", new JsonObject(), false, now),
        args, true, now);
  }

  /** Applies the parameters given over an existing registration (UPDATE changes only what it names). */
  FeedRegistration merge(FeedRegistration old, JsonObject args, boolean topicRequired, long now) {
    String topic = old.topic();
    if (args.containsKey("topic")) {
      topic = string(args, "topic");
    } else if (topicRequired) {
      throw WhiskException.badRequest("the parameter 'topic' (an MQTT topic filter) is required");
    }
    if (!Topics.isValidFilter(topic) || topic.startsWith(Topics.SHARE_PREFIX)) {
      throw WhiskException.badRequest("topic '" + topic + "' is not a valid MQTT topic filter");
    }
    int qos = old.qos();
    if (args.containsKey("qos")) {
      Object q = args.getValue("qos");
      qos = q instanceof Number n ? n.intValue() : -1;
      if (!(q instanceof Number) || qos < 0 || qos > 2 || n(q) != qos) {
        throw WhiskException.badRequest("qos must be 0, 1 or 2");
      }
    }
    String broker = args.containsKey("broker") ? string(args, "broker") : old.broker();
    if (!brokers.contains(broker)) {
      throw WhiskException.badRequest("broker '" + broker + "' is not known; use 'embedded' or a configured bridge");
    }
    String format = args.containsKey("format") ? string(args, "format") : old.format();
    if (!FORMATS.contains(format)) {
      throw WhiskException.badRequest("format must be json, text or base64");
    }
    JsonObject payload = old.triggerPayload();
    if (args.containsKey("trigger_payload")) {
      Object p = args.getValue("trigger_payload");
      if (!(p instanceof JsonObject o)) {
        throw WhiskException.badRequest("trigger_payload must be an object");
      }
      payload = o;
    }
    return new FeedRegistration(old.trigger(), old.namespace(), topic, qos, broker, format, payload, old.paused(), now);
  }

  private static double n(Object q) {
    return ((Number) q).doubleValue();
  }

  private static String string(JsonObject args, String key) {
    Object v = args.getValue(key);
    if (!(v instanceof String s) || s.isEmpty()) {
      throw WhiskException.badRequest("the parameter '" + key + "' must be a non-empty string");
    }
    return s;
  }
}
