package io.edgewhisk.model;

import io.vertx.core.json.JsonObject;

/** What every stored entity has, and its OpenWhisk JSON form. */
public sealed interface WhiskEntity permits Action, WhiskPackage, Trigger, Rule {
  FullyQualifiedName fqn();

  EntityType type();

  SemVer version();

  boolean publish();

  KeyValues annotations();

  KeyValues parameters();

  /** Epoch ms of the last change. */
  long updated();

  /** The JSON that OpenWhisk's GET answers with. */
  JsonObject toJson();

  /** The fields every entity shares, in OpenWhisk's order. */
  static JsonObject common(WhiskEntity e) {
    return new JsonObject()
        .put("namespace", e.fqn().path())
        .put("name", e.fqn().name())
        .put("version", e.version().toString())
        .put("publish", e.publish())
        .put("annotations", e.annotations().toJson())
        .put("parameters", e.parameters().toJson())
        .put("updated", e.updated());
  }

  /** Reads any entity back from its stored JSON and type. */
  static WhiskEntity fromJson(EntityType type, JsonObject o) {
    return switch (type) {
      case ACTION -> Action.fromJson(o);
      case PACKAGE -> WhiskPackage.fromJson(o);
      case TRIGGER -> Trigger.fromJson(o);
      case RULE -> Rule.fromJson(o);
    };
  }

  /** The fully qualified name from a stored document's {@code namespace} (ns or ns/pkg) and {@code name}. */
  static FullyQualifiedName fqnOf(JsonObject o) {
    return FullyQualifiedName.ofPath(o.getString("namespace"), o.getString("name"));
  }
}
