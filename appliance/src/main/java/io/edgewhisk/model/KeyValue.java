package io.edgewhisk.model;

import java.util.Objects;

/**
 * One parameter or annotation: a key and any JSON value (String, Number, Boolean, JsonObject, JsonArray
 * or null). {@code init} marks a parameter that goes to the container's {@code /init} environment.
 */
public record KeyValue(String key, Object value, boolean init) {
  public KeyValue {
    Objects.requireNonNull(key, "key");
  }

  public static KeyValue of(String key, Object value) {
    return new KeyValue(key, value, false);
  }
}
