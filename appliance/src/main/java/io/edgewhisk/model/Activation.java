package io.edgewhisk.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * An activation record, as OpenWhisk stores and returns it. {@code namespace} is the invoking namespace,
 * {@code name} the action's (or trigger's) short name; annotations carry {@code path}, {@code kind},
 * {@code limits}, {@code waitTime}, {@code initTime}, {@code causedBy} and the like. {@code cause} is
 * the enclosing sequence's activation, or null.
 */
public record Activation(
    String namespace,
    String name,
    String subject,
    ActivationId activationId,
    long start,
    long end,
    long duration,
    ActivationId cause,
    ActivationResponse response,
    List<String> logs,
    KeyValues annotations,
    SemVer version,
    boolean publish) {

  public Activation {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(activationId, "activationId");
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(annotations, "annotations");
    Objects.requireNonNull(version, "version");
    logs = List.copyOf(logs);
  }

  /**
   * The one factory of activation records (the invoker's, the controller's, a trigger's, a sequence's): every
   * record is made here, with {@code publish} false as OpenWhisk makes them (an activation is never shared,
   * whatever its action's or trigger's {@code publish}).
   */
  public static Activation record(String namespace, String name, String subject, ActivationId activationId, long start,
      long end, long duration, ActivationId cause, ActivationResponse response, List<String> logs, KeyValues annotations,
      SemVer version) {
    return new Activation(namespace, name, subject, activationId, start, end, duration, cause, response, logs,
        annotations, version, false);
  }

  /** The {@code path} annotation if there is one, else {@code namespace/name}. */
  public String path() {
    Object p = annotations.get("path");
    return p instanceof String s ? s : namespace + "/" + name;
  }

  public JsonObject toJson() {
    return head()
        .put("response", response.toJson())
        .put("logs", new JsonArray(List.copyOf(logs)))
        .put("annotations", annotations.toJson())
        .put("version", version.toString())
        .put("publish", publish);
  }

  /**
   * OpenWhisk's list view of the record: everything but {@code response} and {@code logs}, with the
   * response's {@code statusCode}. Built on its own (not by cutting {@link #toJson()}), since every
   * stored record makes one.
   */
  public JsonObject toSummaryJson() {
    return head()
        .put("annotations", annotations.toJson())
        .put("version", version.toString())
        .put("publish", publish)
        .put("statusCode", response.statusCode());
  }

  /** The fields before {@code response}, in the document's order. */
  private JsonObject head() {
    JsonObject o = new JsonObject()
        .put("namespace", namespace)
        .put("name", name)
        .put("subject", subject)
        .put("activationId", activationId.value())
        .put("start", start)
        .put("end", end)
        .put("duration", duration);
    if (cause != null) {
      o.put("cause", cause.value());
    }
    return o;
  }

  public static Activation fromJson(JsonObject o) {
    String cause = o.getString("cause");
    JsonArray logs = o.getJsonArray("logs", new JsonArray());
    return new Activation(
        o.getString("namespace"),
        o.getString("name"),
        o.getString("subject"),
        new ActivationId(o.getString("activationId")),
        o.getLong("start"),
        o.getLong("end"),
        o.getLong("duration", o.getLong("end") - o.getLong("start")),
        cause == null ? null : new ActivationId(cause),
        ActivationResponse.fromJson(o.getJsonObject("response")),
        logs.stream().map(String::valueOf).toList(),
        KeyValues.fromJson(o.getValue("annotations"), "annotations"),
        SemVer.parse(o.getString("version", "0.0.1")),
        o.getBoolean("publish", false));
  }
}
