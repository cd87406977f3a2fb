package io.edgewhisk.mqtt.feed;

import io.edgewhisk.mqtt.broker.MessageProperties;
import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The parameters a message fires its trigger with: {@code topic}, {@code payload} (in the feed's format),
 * {@code format} (the one used: {@code json} falls back to {@code text} for a payload that is not JSON),
 * {@code qos}, {@code retain}, {@code timestamp} (epoch ms) and {@code properties} (MQTT 5), over the
 * feed's {@code trigger_payload}.
 */
final class TriggerPayload {
  private TriggerPayload() {}

  static JsonObject of(FeedRegistration r, PublishedMessage m, int qos, long now) {
    JsonObject p = r.triggerPayload().copy();
    String format = r.format();
    Object payload;
    if (format.equals("base64")) {
      payload = Base64.getEncoder().encodeToString(m.payload());
    } else {
      String text = new String(m.payload(), StandardCharsets.UTF_8);
      payload = text;
      if (format.equals("json")) {
        try {
          payload = Json.decodeValue(text);
        } catch (DecodeException e) {
          format = "text";
        }
      }
    }
    p.put("topic", m.topic()).put("payload", payload).put("format", format).put("qos", qos)
        .put("retain", m.retain()).put("timestamp", now).put("properties", properties(m.properties()));
    return p;
  }

  private static JsonObject properties(MessageProperties props) {
    JsonObject o = new JsonObject();
    if (!props.userProperties().isEmpty()) {
      JsonArray users = new JsonArray();
      props.userProperties().forEach(u -> users.add(new JsonArray().add(u.name()).add(u.value())));
      o.put("userProperties", users);
    }
    if (props.contentType() != null) {
      o.put("contentType", props.contentType());
    }
    if (props.responseTopic() != null) {
      o.put("responseTopic", props.responseTopic());
    }
    if (props.correlationData() != null) {
      o.put("correlationData", Base64.getEncoder().encodeToString(props.correlationData()));
    }
    if (props.payloadFormat() != null) {
      o.put("payloadFormatIndicator", props.payloadFormat());
    }
    return o;
  }
}
