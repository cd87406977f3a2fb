package io.edgewhisk.controller;

import io.edgewhisk.model.EntityType;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.WhiskEntity;
import io.edgewhisk.model.WhiskException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/** Checks shared by every entity type's create, update and delete. */
public final class EntityRules {
  private EntityRules() {}

  public static WhiskException notInCollection() {
    return new WhiskException(409, "Resource by this name exists but is not in this collection.");
  }

  /**
   * For a PUT: the existing entity (may be null) must be of the expected type, and may be replaced only
   * with {@code overwrite}.
   */
  public static void checkPut(WhiskEntity existing, EntityType type, boolean overwrite) {
    if (existing == null) {
      return;
    }
    if (existing.type() != type) {
      throw notInCollection();
    }
    if (!overwrite) {
      throw WhiskException.alreadyExists();
    }
  }

  /** For a GET or DELETE: the entity must exist and be of the expected type. */
  @SuppressWarnings("unchecked")
  public static <E extends WhiskEntity> E require(WhiskEntity e, EntityType type, String name) {
    if (e == null) {
      throw WhiskException.notFound(name);
    }
    if (e.type() != type) {
      throw notInCollection();
    }
    return (E) e;
  }

  /**
   * A PUT's {@code parameters} or {@code annotations}: the body's when it has the field, else the
   * entity's current ones ({@code old} null on create: none); 413 when larger than {@code maxBytes}.
   */
  public static KeyValues keyValues(JsonObject body, String field, KeyValues old, long maxBytes) {
    KeyValues kv = body.containsKey(field)
        ? KeyValues.fromJson(body.getValue(field), field)
        : old == null ? KeyValues.EMPTY : old;
    checkSize(field, kv.toJson(), maxBytes);
    return kv;
  }

  /** OpenWhisk's size check on a field: 413 {@code <field> larger than allowed: X > Y bytes.} */
  public static void checkSize(String field, Object value, long max) {
    if (value == null) {
      return;
    }
    long size = Json.encode(value).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (size > max) {
      throw new WhiskException(413, field + " larger than allowed: " + size + " > " + max + " bytes.");
    }
  }
}
