package io.edgewhisk.sync.pull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * OpenWhisk's entity documents (as its serializers write them to the {@code whisks} database) mapped to the
 * body of the REST {@code PUT} that makes the same entity on the gateway. Pure: no I/O, so every document
 * shape is tested without a server. Throws {@link MalformedDocumentException} for a document OpenWhisk would
 * not have written, {@link UnsupportedEntityException} for one the gateway cannot run.
 */
public final class EntityMapping {
  private EntityMapping() {}

  /** True for an entity document ({@code entityType} one of OpenWhisk's four); design and other documents are not. */
  public static boolean isEntity(JsonObject doc) {
    String t = doc.getString("entityType");
    return "action".equals(t) || "package".equals(t) || "trigger".equals(t) || "rule".equals(t);
  }

  public static MappedEntity map(JsonObject doc) {
    String id = require(doc, "_id");
    checkName(doc, id);
    String rev = doc.getString("_rev");
    return switch (String.valueOf(doc.getValue("entityType"))) {
      case "action" -> action(doc, id, rev);
      case "package" -> pkg(doc, id, rev);
      case "trigger" -> new MappedEntity(EntityKind.TRIGGER, id, rev, common(doc)
          .put("limits", object(doc, "limits", new JsonObject())), new CodeSource.None());
      case "rule" -> rule(doc, id, rev);
      default -> throw new MalformedDocumentException("entityType '" + doc.getValue("entityType") + "' is not an entity");
    };
  }

  private static MappedEntity action(JsonObject doc, String id, String rev) {
    JsonObject exec = object(doc, "exec", null);
    if (exec == null) {
      throw new MalformedDocumentException("an action without exec");
    }
    String kind = require(exec, "kind");
    JsonObject body = common(doc).put("limits", object(doc, "limits", new JsonObject()));
    if ("sequence".equals(kind)) {
      if (!(exec.getValue("components") instanceof JsonArray components)) {
        throw new MalformedDocumentException("a sequence without components");
      }
      body.put("exec", new JsonObject().put("kind", kind).put("components", components.copy()));
      return new MappedEntity(EntityKind.SEQUENCE, id, rev, body, new CodeSource.None());
    }
    JsonObject out = new JsonObject().put("kind", kind).put("binary", exec.getBoolean("binary", false));
    copyString(exec, out, "main");
    if ("blackbox".equals(kind)) {
      out.put("image", require(exec, "image"));
    }
    body.put("exec", out);
    CodeSource code = CodeSource.of(exec.getValue("code"));
    if (code instanceof CodeSource.External e) {
      throw new UnsupportedEntityException("the action's code is kept in an external store ('" + e.scheme()
          + ":'), which a gateway cannot read; store it in CouchDB (or inline) to send it to the fleet");
    }
    if (code instanceof CodeSource.None && !"blackbox".equals(kind)) {
      throw new MalformedDocumentException("an action of kind " + kind + " without code");
    }
    if (code instanceof CodeSource.Inline inline) {
      return new MappedEntity(EntityKind.ACTION, id, rev, new MappedEntity(EntityKind.ACTION, id, rev, body, code)
          .withCode(inline.bytes()), new CodeSource.None());
    }
    return new MappedEntity(EntityKind.ACTION, id, rev, body, code);
  }

  private static MappedEntity pkg(JsonObject doc, String id, String rev) {
    JsonObject body = common(doc);
    JsonObject binding = object(doc, "binding", new JsonObject());
    if (binding.isEmpty()) {
      return new MappedEntity(EntityKind.PACKAGE, id, rev, body, new CodeSource.None());
    }
    body.put("binding", new JsonObject().put("namespace", require(binding, "namespace")).put("name", require(binding, "name")));
    return new MappedEntity(EntityKind.BINDING, id, rev, body, new CodeSource.None());
  }

  private static MappedEntity rule(JsonObject doc, String id, String rev) {
    JsonObject body = new JsonObject()
        .put("publish", doc.getBoolean("publish", false))
        .put("annotations", array(doc, "annotations"))
        .put("trigger", reference(object(doc, "trigger", null), "trigger"))
        .put("action", reference(object(doc, "action", null), "action"));
    return new MappedEntity(EntityKind.RULE, id, rev, body, new CodeSource.None());
  }

  /** OpenWhisk's {@code {path, name}} as the absolute reference a REST body carries: {@code /path/name}. */
  private static String reference(JsonObject ref, String what) {
    if (ref == null) {
      throw new MalformedDocumentException("a rule without its " + what);
    }
    return "/" + require(ref, "path") + "/" + require(ref, "name");
  }

  private static JsonObject common(JsonObject doc) {
    JsonArray parameters = array(doc, "parameters");
    for (Object p : parameters) {
      if (p instanceof JsonObject kv && kv.getValue("encryption") != null) {
        throw new UnsupportedEntityException("parameter '" + kv.getValue("key") + "' is encrypted with the central key ("
            + kv.getValue("encryption") + "), which the gateway does not have");
      }
    }
    return new JsonObject()
        .put("publish", doc.getBoolean("publish", false))
        .put("parameters", parameters)
        .put("annotations", array(doc, "annotations"));
  }

  /** The document's {@code namespace} and {@code name} must be its id, or it would land under another name. */
  private static void checkName(JsonObject doc, String id) {
    String ns = require(doc, "namespace");
    String name = require(doc, "name");
    if (!id.equals(ns + "/" + name)) {
      throw new MalformedDocumentException("_id '" + id + "' does not match namespace '" + ns + "' and name '" + name + "'");
    }
  }

  private static String require(JsonObject o, String field) {
    Object v = o.getValue(field);
    if (!(v instanceof String s) || s.isEmpty()) {
      throw new MalformedDocumentException("'" + field + "' is missing or not a string");
    }
    return s;
  }

  private static JsonObject object(JsonObject o, String field, JsonObject orElse) {
    Object v = o.getValue(field);
    if (v == null) {
      return orElse;
    }
    if (!(v instanceof JsonObject j)) {
      throw new MalformedDocumentException("'" + field + "' is not an object");
    }
    return j.copy();
  }

  private static JsonArray array(JsonObject o, String field) {
    Object v = o.getValue(field);
    if (v == null) {
      return new JsonArray();
    }
    if (!(v instanceof JsonArray a)) {
      throw new MalformedDocumentException("'" + field + "' is not an array of {key, value}");
    }
    return a.copy();
  }

  private static void copyString(JsonObject from, JsonObject to, String field) {
    if (from.getValue(field) instanceof String s) {
      to.put(field, s);
    }
  }
}
