package io.edgewhisk.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An ordered list of parameters or annotations, as OpenWhisk's {@code [{key, value, init?}]}. */
public record KeyValues(List<KeyValue> entries) {
  public static final KeyValues EMPTY = new KeyValues(List.of());

  public KeyValues {
    entries = List.copyOf(entries);
  }

  public Object get(String key) {
    for (KeyValue kv : entries) {
      if (kv.key().equals(key)) {
        return kv.value();
      }
    }
    return null;
  }

  public boolean has(String key) {
    return entries.stream().anyMatch(kv -> kv.key().equals(key));
  }

  /** True when the annotation is the boolean true (or the string "true", as some clients send). */
  public boolean isTrue(String key) {
    Object v = get(key);
    return Boolean.TRUE.equals(v) || "true".equals(v);
  }

  /** A copy with {@code key} set to {@code value}, replacing any earlier entry. */
  public KeyValues with(String key, Object value) {
    List<KeyValue> out = new ArrayList<>();
    boolean replaced = false;
    for (KeyValue kv : entries) {
      if (kv.key().equals(key)) {
        if (!replaced) {
          out.add(new KeyValue(key, value, kv.init()));
          replaced = true;
        }
      } else {
        out.add(kv);
      }
    }
    if (!replaced) {
      out.add(KeyValue.of(key, value));
    }
    return new KeyValues(out);
  }

  /** These entries, then {@code over}'s, later keys winning: the merge of parameter precedence. */
  public KeyValues merge(KeyValues over) {
    Map<String, KeyValue> merged = new LinkedHashMap<>();
    entries.forEach(kv -> merged.put(kv.key(), kv));
    over.entries.forEach(kv -> merged.put(kv.key(), kv));
    return new KeyValues(new ArrayList<>(merged.values()));
  }

  /** The entries as a JSON object of key to value. */
  public JsonObject toObject() {
    JsonObject o = new JsonObject();
    entries.forEach(kv -> o.put(kv.key(), kv.value()));
    return o;
  }

  public JsonArray toJson() {
    JsonArray a = new JsonArray();
    for (KeyValue kv : entries) {
      JsonObject o = new JsonObject().put("key", kv.key()).put("value", kv.value());
      if (kv.init()) {
        o.put("init", true);
      }
      a.add(o);
    }
    return a;
  }

  /**
   * Reads OpenWhisk's array form. Fails with a 400 naming {@code what} on anything else, so that bad input
   * from a client is answered plainly rather than stored.
   */
  public static KeyValues fromJson(Object json, String what) {
    if (json == null) {
      return EMPTY;
    }
    if (!(json instanceof JsonArray array)) {
      throw WhiskException.badRequest("The " + what + " must be an array of {\"key\", \"value\"} objects.");
    }
    List<KeyValue> out = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof JsonObject o) || !(o.getValue("key") instanceof String key)) {
        throw WhiskException.badRequest("The " + what + " must be an array of {\"key\", \"value\"} objects.");
      }
      Object init = o.getValue("init");
      if (init != null && !(init instanceof Boolean)) {
        throw WhiskException.badRequest("The 'init' of " + what + " '" + key + "' must be a boolean.");
      }
      out.add(new KeyValue(key, o.getValue("value"), Boolean.TRUE.equals(init)));
    }
    return new KeyValues(out);
  }

  /** From a plain JSON object of key to value, as an invocation payload or a trigger fire is. */
  public static KeyValues fromObject(JsonObject o) {
    if (o == null) {
      return EMPTY;
    }
    List<KeyValue> out = new ArrayList<>(o.size());
    o.forEach(e -> out.add(KeyValue.of(e.getKey(), e.getValue())));
    return new KeyValues(out);
  }
}
