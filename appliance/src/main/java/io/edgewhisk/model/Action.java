package io.edgewhisk.model;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/** An action: code (or an image, or a sequence) with its parameters, limits and annotations. */
public record Action(
    FullyQualifiedName fqn,
    SemVer version,
    boolean publish,
    Exec exec,
    KeyValues parameters,
    KeyValues annotations,
    ActionLimits limits,
    long updated) implements WhiskEntity {

  public Action {
    Objects.requireNonNull(fqn, "fqn");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(exec, "exec");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(annotations, "annotations");
    Objects.requireNonNull(limits, "limits");
  }

  @Override
  public EntityType type() {
    return EntityType.ACTION;
  }

  @Override
  public JsonObject toJson() {
    return toJson(true);
  }

  public JsonObject toJson(boolean withCode) {
    return WhiskEntity.common(this).put("exec", exec.toJson(withCode)).put("limits", limits.toJson());
  }

  public static Action fromJson(JsonObject o) {
    return new Action(
        WhiskEntity.fqnOf(o),
        SemVer.parse(o.getString("version")),
        o.getBoolean("publish", false),
        Exec.fromJson(o.getJsonObject("exec")),
        KeyValues.fromJson(o.getValue("parameters"), "parameters"),
        KeyValues.fromJson(o.getValue("annotations"), "annotations"),
        ActionLimits.fromJson(o.getJsonObject("limits")),
        o.getLong("updated", 0L));
  }
}
