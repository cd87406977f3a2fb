package io.edgewhisk.sync.push;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * OpenWhisk's user event for an activation, as its invokers put it on the {@code events} topic
 * ({@code EventMessage} with an {@code Activation} body), with {@code source} naming the device.
 */
public final class UserEvent {
  private UserEvent() {}

  /** The event for an activation record (the REST form); {@code userId} is the namespace's uuid. */
  public static JsonObject of(JsonObject record, String deviceId, String userId) {
    JsonArray annotations = record.getJsonArray("annotations", new JsonArray());
    JsonObject response = record.getJsonObject("response", new JsonObject());
    JsonObject body = new JsonObject()
        .put("name", stringAnnotation(annotations, "path", record.getString("namespace") + "/" + record.getString("name")))
        .put("activationId", record.getString("activationId"))
        .put("statusCode", response.getInteger("statusCode", 0))
        .put("duration", record.getLong("duration", record.getLong("end", 0L) - record.getLong("start", 0L)))
        .put("waitTime", longAnnotation(annotations, "waitTime"))
        .put("initTime", longAnnotation(annotations, "initTime"))
        .put("kind", stringAnnotation(annotations, "kind", "unknown"))
        .put("conductor", Boolean.TRUE.equals(annotation(annotations, "conductor")))
        .put("memory", annotation(annotations, "limits") instanceof JsonObject l ? l.getInteger("memory", 0) : 0);
    if (annotation(annotations, "causedBy") instanceof String causedBy) {
      body.put("causedBy", causedBy);
    }
    if (response.getValue("size") instanceof Number size) {
      body.put("size", size.intValue());
    }
    if (response.getValue("result") instanceof JsonObject result && result.getValue("statusCode") instanceof Number code) {
      body.put("userDefinedStatusCode", code.intValue());
    }
    return new JsonObject()
        .put("source", deviceId)
        .put("body", body)
        .put("subject", record.getString("subject"))
        .put("namespace", record.getString("namespace"))
        .put("userId", userId)
        .put("eventType", "Activation")
        .put("timestamp", record.getLong("end", 0L));
  }

  private static Object annotation(JsonArray annotations, String key) {
    for (Object o : annotations) {
      if (o instanceof JsonObject kv && key.equals(kv.getString("key"))) {
        return kv.getValue("value");
      }
    }
    return null;
  }

  private static String stringAnnotation(JsonArray annotations, String key, String orElse) {
    return annotation(annotations, key) instanceof String s ? s : orElse;
  }

  private static long longAnnotation(JsonArray annotations, String key) {
    return annotation(annotations, key) instanceof Number n ? n.longValue() : 0L;
  }
}
