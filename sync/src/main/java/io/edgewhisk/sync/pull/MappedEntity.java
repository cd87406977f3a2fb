package io.edgewhisk.sync.pull;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A central entity document turned into what a REST {@code PUT} of it would carry, under its fully
 * qualified name {@code /ns/[pkg/]name}. An action's code may still have to be fetched ({@link #code()});
 * {@link #withCode} puts the bytes in: UTF-8 text, or base64 when the action is {@code binary} (a zip).
 */
public record MappedEntity(EntityKind kind, String id, String rev, JsonObject body, CodeSource code) {
  public MappedEntity {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(code, "code");
  }

  /** {@code /ns/[pkg/]name}, as the SPI names entities. */
  public String name() {
    return "/" + id;
  }

  /** The body with the code in place; the body as it is when the code needs no fetching. */
  public JsonObject withCode(byte[] bytes) {
    JsonObject b = body.copy();
    JsonObject exec = b.getJsonObject("exec");
    boolean binary = exec.getBoolean("binary", false);
    exec.put("code", binary ? Base64.getEncoder().encodeToString(bytes) : new String(bytes, StandardCharsets.UTF_8));
    return b;
  }

  /** The rule's body with its status, which OpenWhisk keeps in the trigger's {@code rules} map. */
  public JsonObject withStatus(String status) {
    return body.copy().put("status", status);
  }

  /** For a rule: the trigger's document id ({@code ns/name}). */
  public String triggerId() {
    return body.getString("trigger").substring(1);
  }
}
