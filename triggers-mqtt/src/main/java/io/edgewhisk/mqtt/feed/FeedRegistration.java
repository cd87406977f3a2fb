package io.edgewhisk.mqtt.feed;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A trigger's subscription through the {@code /whisk.system/mqtt/subscribe} feed: the topic filter, the QoS,
 * which broker ({@code embedded} or a bridge's name), the payload format and the trigger payload merged
 * under every message. {@code trigger} is absolute ({@code /ns/name}).
 */
public record FeedRegistration(String trigger, String namespace, String topic, int qos, String broker, String format,
                               JsonObject triggerPayload, boolean paused, long changed) {
  public FeedRegistration {
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(format, "format");
    triggerPayload = triggerPayload == null ? new JsonObject() : triggerPayload.copy();
  }

  FeedRegistration withPaused(boolean p, long at) {
    return new FeedRegistration(trigger, namespace, topic, qos, broker, format, triggerPayload, p, at);
  }

  /** The feed's configuration as READ answers it, in the parameters' own names. */
  JsonObject config() {
    return new JsonObject().put("topic", topic).put("qos", qos).put("broker", broker).put("format", format)
        .put("trigger_payload", triggerPayload.copy());
  }
}
