package io.edgewhisk.model;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** A trigger, with the rules that hang off it (kept in step with the rules themselves). */
public record Trigger(
    FullyQualifiedName fqn,
    SemVer version,
    boolean publish,
    KeyValues parameters,
    KeyValues annotations,
    Map<FullyQualifiedName, TriggerRule> rules,
    long updated) implements WhiskEntity {

  /** What a trigger knows of one of its rules: the action it fires and whether it is active. */
  public record TriggerRule(FullyQualifiedName action, RuleStatus status) {}

  public Trigger {
    Objects.requireNonNull(fqn, "fqn");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(annotations, "annotations");
    rules = Map.copyOf(rules);
  }

  @Override
  public EntityType type() {
    return EntityType.TRIGGER;
  }

  /**
   * A copy with the rule set; the version is bumped so that two rule changes racing on one trigger
   * cannot both pass the store's optimistic check.
   */
  public Trigger withRule(FullyQualifiedName rule, TriggerRule value, long now) {
    Map<FullyQualifiedName, TriggerRule> r = new LinkedHashMap<>(rules);
    r.put(rule, value);
    return new Trigger(fqn, version.bumpPatch(), publish, parameters, annotations, r, now);
  }

  /** A copy without the rule, version bumped as in {@link #withRule}. */
  public Trigger withoutRule(FullyQualifiedName rule, long now) {
    Map<FullyQualifiedName, TriggerRule> r = new LinkedHashMap<>(rules);
    r.remove(rule);
    return new Trigger(fqn, version.bumpPatch(), publish, parameters, annotations, r, now);
  }

  @Override
  public JsonObject toJson() {
    JsonObject r = new JsonObject();
    rules.entrySet().stream()
        .sorted(Map.Entry.comparingByKey((a, b) -> a.toString().compareTo(b.toString())))
        .forEach(e -> r.put(e.getKey().toString(), new JsonObject()
            .put("action", new JsonObject().put("path", e.getValue().action().path()).put("name", e.getValue().action().name()))
            .put("status", e.getValue().status().word())));
    return WhiskEntity.common(this).put("limits", new JsonObject()).put("rules", r);
  }

  public static Trigger fromJson(JsonObject o) {
    Map<FullyQualifiedName, TriggerRule> rules = new LinkedHashMap<>();
    JsonObject r = o.getJsonObject("rules", new JsonObject());
    for (String key : r.fieldNames()) {
      JsonObject v = r.getJsonObject(key);
      JsonObject a = v.getJsonObject("action");
      rules.put(
          FullyQualifiedName.ofId(key),
          new TriggerRule(FullyQualifiedName.ofPath(a.getString("path"), a.getString("name")),
              RuleStatus.fromWord(v.getString("status"))));
    }
    return new Trigger(
        WhiskEntity.fqnOf(o),
        SemVer.parse(o.getString("version")),
        o.getBoolean("publish", false),
        KeyValues.fromJson(o.getValue("parameters"), "parameters"),
        KeyValues.fromJson(o.getValue("annotations"), "annotations"),
        rules,
        o.getLong("updated", 0L));
  }
}
