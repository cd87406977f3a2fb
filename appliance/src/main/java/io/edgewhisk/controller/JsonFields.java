package io.edgewhisk.controller;

import io.edgewhisk.model.WhiskException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Typed reads of a request body's fields that answer a wrong type with a 400 naming the field. */
final class JsonFields {
  private JsonFields() {}

  static String string(JsonObject o, String field, String path) {
    Object v = o.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw WhiskException.badRequest("The request content was malformed: '" + path + "' must be a string.");
    }
    return s;
  }

  static Boolean bool(JsonObject o, String field, String path) {
    Object v = o.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Boolean b)) {
      throw WhiskException.badRequest("The request content was malformed: '" + path + "' must be a boolean.");
    }
    return b;
  }

  static JsonObject object(JsonObject o, String field, String path) {
    Object v = o.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject j)) {
      throw WhiskException.badRequest("The request content was malformed: '" + path + "' must be an object.");
    }
    return j;
  }

  static JsonArray array(JsonObject o, String field, String path) {
    Object v = o.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray a)) {
      throw WhiskException.badRequest("The request content was malformed: '" + path + "' must be an array.");
    }
    return a;
  }

  static Integer integer(JsonObject o, String field, String path) {
    Object v = o.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
        || n.doubleValue() > Integer.MAX_VALUE || n.doubleValue() < Integer.MIN_VALUE) {
      throw WhiskException.badRequest("The request content was malformed: '" + path + "' must be an integer.");
    }
    return n.intValue();
  }
}
