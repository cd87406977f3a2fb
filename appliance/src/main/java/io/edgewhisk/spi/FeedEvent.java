package io.edgewhisk.spi;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One lifecycle event of a feed, after the core checked it: {@code lifecycleEvent} ({@code CREATE},
 * {@code READ}, {@code UPDATE}, {@code DELETE}, {@code PAUSE}, {@code UNPAUSE}), the trigger
 * ({@code /ns/name}, owned by {@code namespace}), the owner's subject, and the user's parameters (without
 * {@code lifecycleEvent}, {@code triggerName} and {@code authKey}). For every event but {@code DELETE} the
 * trigger exists.
 */
@DataObject
public final class FeedEvent {
  private final String lifecycleEvent;
  private final String trigger;
  private final String namespace;
  private final String subject;
  private final JsonObject parameters;

  public FeedEvent(String lifecycleEvent, String trigger, String namespace, String subject, JsonObject parameters) {
    this.lifecycleEvent = Objects.requireNonNull(lifecycleEvent, "lifecycleEvent");
    this.trigger = Objects.requireNonNull(trigger, "trigger");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.subject = Objects.requireNonNull(subject, "subject");
    this.parameters = parameters == null ? new JsonObject() : parameters.copy();
  }

  public FeedEvent(JsonObject json) {
    this(json.getString("lifecycleEvent"), json.getString("trigger"), json.getString("namespace"),
        json.getString("subject"), json.getJsonObject("parameters"));
  }

  public String lifecycleEvent() {
    return lifecycleEvent;
  }

  public String trigger() {
    return trigger;
  }

  public String namespace() {
    return namespace;
  }

  public String subject() {
    return subject;
  }

  public JsonObject parameters() {
    return parameters.copy();
  }

  public JsonObject toJson() {
    return new JsonObject().put("lifecycleEvent", lifecycleEvent).put("trigger", trigger).put("namespace", namespace)
        .put("subject", subject).put("parameters", parameters.copy());
  }

  @Override
  public String toString() {
    return lifecycleEvent + " " + trigger;
  }
}
