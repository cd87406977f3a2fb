package io.edgewhisk.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What an action runs: code for a runtime kind, a blackbox image, or a sequence of other actions. */
public sealed interface Exec permits Exec.Code, Exec.Sequence {
  String BLACKBOX = "blackbox";
  String SEQUENCE = "sequence";

  String kind();

  /** OpenWhisk's JSON form; without the code when {@code withCode} is false. */
  JsonObject toJson(boolean withCode);

  /**
   * Code for a runtime kind, or a blackbox image. {@code code} is source text, or base64 of a zip when
   * {@code binary}; it may be null for a blackbox image. {@code main} and {@code image} may be null.
   */
  record Code(String kind, String code, boolean binary, String main, String image) implements Exec {
    public Code {
      Objects.requireNonNull(kind, "kind");
    }

    public boolean isBlackbox() {
      return BLACKBOX.equals(kind);
    }

    @Override
    public JsonObject toJson(boolean withCode) {
      JsonObject o = new JsonObject().put("kind", kind);
      if (image != null) {
        o.put("image", image);
      }
      if (withCode && code != null) {
        o.put("code", code);
      }
      if (main != null) {
        o.put("main", main);
      }
      o.put("binary", binary);
      return o;
    }
  }

  /** A sequence: each component's result is the next one's input. */
  record Sequence(List<FullyQualifiedName> components) implements Exec {
    public Sequence {
      components = List.copyOf(components);
    }

    @Override
    public String kind() {
      return SEQUENCE;
    }

    @Override
    public JsonObject toJson(boolean withCode) {
      JsonArray c = new JsonArray();
      components.forEach(fqn -> c.add(fqn.absolute()));
      return new JsonObject().put("kind", SEQUENCE).put("components", c);
    }
  }

  /** Reads the stored form written by {@link #toJson(boolean)}. */
  static Exec fromJson(JsonObject o) {
    String kind = o.getString("kind");
    if (SEQUENCE.equals(kind)) {
      List<FullyQualifiedName> components = new ArrayList<>();
      for (Object c : o.getJsonArray("components")) {
        components.add(FullyQualifiedName.parse((String) c, null));
      }
      return new Sequence(components);
    }
    return new Code(kind, o.getString("code"), o.getBoolean("binary", false), o.getString("main"), o.getString("image"));
  }
}
