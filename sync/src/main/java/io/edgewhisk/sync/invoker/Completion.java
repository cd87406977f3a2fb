package io.edgewhisk.sync.invoker;

import io.edgewhisk.sync.push.ActivationDocument;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * OpenWhisk's {@code CombinedCompletionAndResultMessage}, the invoker's answer on {@code completed<N>}:
 * {@code {"transid", "response": <the activation without _id>, "isSystemError", "instance"}}. The activation is
 * the document sync pushes to the central activations database (so the controller and the database see the same
 * record); {@code isSystemError} is OpenWhisk's: the response is a whisk internal error (status code 3).
 */
public final class Completion {
  /** OpenWhisk's response status codes. */
  public static final int APPLICATION_ERROR = 1;
  public static final int WHISK_ERROR = 3;

  private Completion() {}

  /** The answer for a finished activation ({@code record} as the core's invocation service completes with it). */
  public static JsonObject of(JsonArray transid, JsonObject record, String deviceId, JsonObject instance) {
    JsonObject activation = ActivationDocument.of(record, deviceId);
    activation.remove("_id");
    boolean systemError = activation.getJsonObject("response").getInteger("statusCode") == WHISK_ERROR;
    return new JsonObject().put("transid", transid.copy()).put("response", activation).put("isSystemError", systemError)
        .put("instance", instance.copy());
  }

  /**
   * The answer for a message the gateway does not run (refused, or failed before it ran), as OpenWhisk's invoker
   * makes its fallback activation: start = end = now, no logs, the error in the result, the {@code path} annotation.
   */
  public static JsonObject refused(InvokerMessage m, int statusCode, String error, long now, String deviceId,
      JsonObject instance) {
    JsonObject record = new JsonObject()
        .put("namespace", m.namespace())
        .put("name", m.name())
        .put("subject", m.subject())
        .put("activationId", m.activationId())
        .put("start", now)
        .put("end", now)
        .put("duration", 0)
        .put("response", new JsonObject().put("statusCode", statusCode).put("result", new JsonObject().put("error", error)))
        .put("logs", new JsonArray())
        .put("version", m.version() == null ? "0.0.1" : m.version())
        .put("publish", false)
        .put("annotations", new JsonArray().add(new JsonObject().put("key", "path").put("value", m.pathAnnotation())));
    if (m.cause() != null) {
      record.put("cause", m.cause());
    }
    return of(m.transid(), record, deviceId, instance);
  }

  /**
   * The answer in OpenWhisk's compact form, for one too large for Kafka (an action's logs can be megabytes, a
   * Kafka message by default at most 1 MiB): the activation's id in place of the activation, as OpenWhisk's
   * invoker shrinks such an answer. The controller then reads the record from the central activations database,
   * where sync pushes it.
   */
  public static JsonObject shrunk(JsonObject completion) {
    JsonObject shrunk = completion.copy();
    shrunk.put("response", completion.getJsonObject("response").getString("activationId"));
    return shrunk;
  }

  /** OpenWhisk's {@code InvokerInstanceId} of this gateway, as its answers carry it. */
  public static JsonObject instance(int instance, String userMemory) {
    return new JsonObject().put("instance", instance).put("userMemory", userMemory).put("instanceType", "invoker")
        .put("tags", new JsonArray()).put("dedicatedNamespaces", new JsonArray());
  }
}
