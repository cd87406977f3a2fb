package io.edgewhisk.model;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/** A rule: when its trigger fires and it is active, its action is invoked with the fire's payload. */
public record Rule(
    FullyQualifiedName fqn,
    SemVer version,
    boolean publish,
    FullyQualifiedName trigger,
    FullyQualifiedName action,
    RuleStatus status,
    KeyValues annotations,
    long updated) implements WhiskEntity {

  public Rule {
    Objects.requireNonNull(fqn, "fqn");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(annotations, "annotations");
  }

  @Override
  public EntityType type() {
    return EntityType.RULE;
  }

  @Override
  public KeyValues parameters() {
    return KeyValues.EMPTY;
  }

  public Rule withStatus(RuleStatus s, long now) {
    return new Rule(fqn, version, publish, trigger, action, s, annotations, now);
  }

  @Override
  public JsonObject toJson() {
    JsonObject o = WhiskEntity.common(this);
    o.remove("parameters");
    return o
        .put("trigger", new JsonObject().put("path", trigger.path()).put("name", trigger.name()))
        .put("action", new JsonObject().put("path", action.path()).put("name", action.name()))
        .put("status", status.word());
  }

  public static Rule fromJson(JsonObject o) {
    JsonObject t = o.getJsonObject("trigger");
    JsonObject a = o.getJsonObject("action");
    return new Rule(
        WhiskEntity.fqnOf(o),
        SemVer.parse(o.getString("version")),
        o.getBoolean("publish", false),
        FullyQualifiedName.ofPath(t.getString("path"), t.getString("name")),
        FullyQualifiedName.ofPath(a.getString("path"), a.getString("name")),
        RuleStatus.fromWord(o.getString("status", "active")),
        KeyValues.fromJson(o.getValue("annotations"), "annotations"),
        o.getLong("updated", 0L));
  }
}
