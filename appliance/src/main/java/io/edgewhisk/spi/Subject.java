package io.edgewhisk.spi;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A namespace with the subject that owns it, its {@code uuid:key} credentials, whether it is blocked, and
 * its own limits in OpenWhisk's JSON form ({@code invocationsPerMinute}, {@code concurrentInvocations},
 * {@code firesPerMinute}, {@code allowedKinds}, {@code storeActivations}; a missing field means the system
 * default). As {@code wskadmin} and OpenWhisk's {@code subjects} database have it.
 */
@DataObject
public final class Subject {
  private final String subject;
  private final String namespace;
  private final String uuid;
  private final String key;
  private final boolean blocked;
  private final JsonObject limits;

  public Subject(String subject, String namespace, String uuid, String key, boolean blocked, JsonObject limits) {
    this.subject = Objects.requireNonNull(subject, "subject");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.uuid = Objects.requireNonNull(uuid, "uuid");
    this.key = Objects.requireNonNull(key, "key");
    this.blocked = blocked;
    this.limits = limits == null ? new JsonObject() : limits.copy();
  }

  public Subject(JsonObject json) {
    this(json.getString("subject"), json.getString("namespace"), json.getString("uuid"), json.getString("key"),
        json.getBoolean("blocked", false), json.getJsonObject("limits"));
  }

  public String subject() {
    return subject;
  }

  public String namespace() {
    return namespace;
  }

  public String uuid() {
    return uuid;
  }

  public String key() {
    return key;
  }

  /** {@code uuid:key}, as clients send it. */
  public String authKey() {
    return uuid + ":" + key;
  }

  public boolean blocked() {
    return blocked;
  }

  public JsonObject limits() {
    return limits.copy();
  }

  public JsonObject toJson() {
    return new JsonObject().put("subject", subject).put("namespace", namespace).put("uuid", uuid).put("key", key)
        .put("blocked", blocked).put("limits", limits.copy());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Subject s && s.toJson().equals(toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    // never print the key
    return "Subject[" + subject + ", namespace=" + namespace + ", uuid=" + uuid + (blocked ? ", blocked" : "") + "]";
  }
}
