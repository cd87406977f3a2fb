package io.edgewhisk.model;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One unit of work on the {@code invoke} topic, in the shape of OpenWhisk's ActivationMessage (so the
 * Kafka side of sync can copy it). It names the action, not its code, and the namespace, not its key:
 * no credentials are written to the log. {@code content} is the merged arguments.
 */
public record ActivationMessage(
    String transactionId,
    long receivedAt,
    FullyQualifiedName action,
    SemVer version,
    String subject,
    String namespace,
    ActivationId activationId,
    boolean blocking,
    JsonObject content,
    ActivationId cause) {

  public ActivationMessage {
    Objects.requireNonNull(transactionId, "transactionId");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(activationId, "activationId");
    Objects.requireNonNull(content, "content");
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject()
        .put("transid", new JsonArray().add(transactionId).add(receivedAt))
        .put("action", new JsonObject().put("path", action.path()).put("name", action.name()).put("version", version.toString()))
        .put("revision", (Object) null)
        .put("user", new JsonObject().put("subject", subject).put("namespace", new JsonObject().put("name", namespace)))
        .put("activationId", activationId.value())
        .put("rootControllerIndex", new JsonObject().put("asString", "0").put("instanceType", "controller"))
        .put("blocking", blocking)
        .put("content", content)
        .put("initArgs", new JsonArray());
    if (cause != null) {
      o.put("cause", cause.value());
    }
    return o;
  }

  public Buffer toBuffer() {
    return toJson().toBuffer();
  }

  public static ActivationMessage fromJson(JsonObject o) {
    JsonArray transid = o.getJsonArray("transid");
    JsonObject action = o.getJsonObject("action");
    JsonObject user = o.getJsonObject("user");
    String cause = o.getString("cause");
    return new ActivationMessage(
        transid.getString(0),
        transid.getLong(1),
        FullyQualifiedName.ofPath(action.getString("path"), action.getString("name")),
        SemVer.parse(action.getString("version")),
        user.getString("subject"),
        user.getJsonObject("namespace").getString("name"),
        new ActivationId(o.getString("activationId")),
        o.getBoolean("blocking", false),
        o.getJsonObject("content", new JsonObject()),
        cause == null ? null : new ActivationId(cause));
  }
}
