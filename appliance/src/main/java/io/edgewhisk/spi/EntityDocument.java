package io.edgewhisk.spi;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * An entity as OpenWhisk's REST API shows it ({@code entity}: name, namespace, version, exec, parameters,
 * annotations, limits, …), with its type ({@code actions}, {@code packages}, {@code triggers},
 * {@code rules}), its fully qualified name ({@code /ns/[pkg/]name}) and its {@code origin}: {@code local}
 * for one made on this device, {@code fleet} for one applied by {@link EntityService#applyFromFleet}.
 */
@DataObject
public final class EntityDocument {
  public static final String LOCAL = "local";
  public static final String FLEET = "fleet";

  private final String type;
  private final String name;
  private final String origin;
  private final JsonObject entity;

  public EntityDocument(String type, String name, String origin, JsonObject entity) {
    this.type = Objects.requireNonNull(type, "type");
    this.name = Objects.requireNonNull(name, "name");
    this.origin = Objects.requireNonNull(origin, "origin");
    this.entity = Objects.requireNonNull(entity, "entity").copy();
  }

  public EntityDocument(JsonObject json) {
    this(json.getString("type"), json.getString("name"), json.getString("origin"), json.getJsonObject("entity"));
  }

  public String type() {
    return type;
  }

  public String name() {
    return name;
  }

  public String origin() {
    return origin;
  }

  public JsonObject entity() {
    return entity.copy();
  }

  public JsonObject toJson() {
    return new JsonObject().put("type", type).put("name", name).put("origin", origin).put("entity", entity.copy());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EntityDocument d && d.toJson().equals(toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    return type + " " + name + " (" + origin + ")";
  }
}
