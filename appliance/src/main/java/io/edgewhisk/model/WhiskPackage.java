package io.edgewhisk.model;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/** A package, or a binding when {@code binding} names the package it binds. */
public record WhiskPackage(
    FullyQualifiedName fqn,
    SemVer version,
    boolean publish,
    FullyQualifiedName binding,
    KeyValues parameters,
    KeyValues annotations,
    long updated) implements WhiskEntity {

  public WhiskPackage {
    Objects.requireNonNull(fqn, "fqn");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(annotations, "annotations");
  }

  public boolean isBinding() {
    return binding != null;
  }

  @Override
  public EntityType type() {
    return EntityType.PACKAGE;
  }

  @Override
  public JsonObject toJson() {
    JsonObject b = binding == null
        ? new JsonObject()
        : new JsonObject().put("namespace", binding.namespace()).put("name", binding.name());
    return WhiskEntity.common(this).put("binding", b);
  }

  public static WhiskPackage fromJson(JsonObject o) {
    JsonObject b = o.getJsonObject("binding");
    FullyQualifiedName binding = b == null || b.isEmpty()
        ? null
        : FullyQualifiedName.of(b.getString("namespace"), b.getString("name"));
    return new WhiskPackage(
        WhiskEntity.fqnOf(o),
        SemVer.parse(o.getString("version")),
        o.getBoolean("publish", false),
        binding,
        KeyValues.fromJson(o.getValue("parameters"), "parameters"),
        KeyValues.fromJson(o.getValue("annotations"), "annotations"),
        o.getLong("updated", 0L));
  }
}
