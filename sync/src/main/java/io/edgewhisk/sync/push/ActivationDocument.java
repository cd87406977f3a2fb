package io.edgewhisk.sync.push;

import io.edgewhisk.model.ActivationId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An activation record from the {@code activations} topic (the REST API's form) as the document OpenWhisk
 * writes to its activations database: {@code _id} = {@code ns/activationId}, {@code entityType},
 * {@code updated}, the response without the API-only {@code status}/{@code success}, and the device that ran
 * it as the {@code edge-device} annotation. Deterministic: the same record always gives the same document,
 * so a repeat is a harmless conflict.
 */
public final class ActivationDocument {
  public static final String DEVICE_ANNOTATION = "edge-device";

  private ActivationDocument() {}

  /** The document, or a {@link IllegalArgumentException} naming what the record lacks. */
  public static JsonObject of(JsonObject record, String deviceId) {
    String namespace = string(record, "namespace");
    String activationId = string(record, "activationId");
    if (!ActivationId.isValid(activationId)) {
      throw new IllegalArgumentException("activationId '" + activationId + "' is not 32 hex digits");
    }
    long start = number(record, "start");
    long end = number(record, "end");
    JsonObject doc = new JsonObject()
        .put("_id", namespace + "/" + activationId)
        .put("entityType", "activation")
        .put("updated", end)
        .put("namespace", namespace)
        .put("name", string(record, "name"))
        .put("subject", string(record, "subject"))
        .put("activationId", activationId)
        .put("start", start)
        .put("end", end);
    if (record.getValue("duration") instanceof Number d) {
      doc.put("duration", d.longValue());
    }
    if (record.getValue("cause") instanceof String cause) {
      doc.put("cause", cause);
    }
    return doc
        .put("response", response(record.getJsonObject("response")))
        .put("logs", record.getJsonArray("logs", new JsonArray()).copy())
        .put("version", record.getString("version", "0.0.1"))
        .put("publish", record.getBoolean("publish", false))
        .put("annotations", annotations(record.getJsonArray("annotations", new JsonArray()), deviceId));
  }

  public static String id(JsonObject record) {
    return record.getString("namespace") + "/" + record.getString("activationId");
  }

  private static JsonObject response(JsonObject r) {
    if (r == null || !(r.getValue("statusCode") instanceof Number code)) {
      throw new IllegalArgumentException("the response has no statusCode");
    }
    JsonObject out = new JsonObject().put("statusCode", code.intValue());
    if (r.getValue("result") != null) {
      out.put("result", r.getValue("result"));
    }
    if (r.getValue("size") instanceof Number size) {
      out.put("size", size.longValue());
    }
    return out;
  }

  private static JsonArray annotations(JsonArray in, String deviceId) {
    JsonArray out = new JsonArray();
    for (Object o : in) {
      if (o instanceof JsonObject kv && !DEVICE_ANNOTATION.equals(kv.getString("key"))) {
        out.add(kv.copy());
      }
    }
    return out.add(new JsonObject().put("key", DEVICE_ANNOTATION).put("value", deviceId));
  }

  private static String string(JsonObject o, String field) {
    if (!(o.getValue(field) instanceof String s) || s.isEmpty()) {
      throw new IllegalArgumentException("the record has no '" + field + "'");
    }
    return s;
  }

  private static long number(JsonObject o, String field) {
    if (!(o.getValue(field) instanceof Number n)) {
      throw new IllegalArgumentException("the record has no numeric '" + field + "'");
    }
    return n.longValue();
  }
}
