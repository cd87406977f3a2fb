package io.edgewhisk.spi;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * What became of a trigger fire, once the trigger's record and every active rule's invocation are durably
 * accepted: {@link Kind#FIRED} with the trigger activation's id, {@link Kind#NO_ACTIVE_RULE} (OpenWhisk's 204:
 * nothing ran, nothing is recorded), or {@link Kind#REFUSED} with the HTTP status and OpenWhisk's message the
 * REST fire would have answered (429 throttled, 404 trigger gone, 403 subject blocked, 503 not accepting work);
 * a 429 is recorded as a trigger activation that says so (see {@link #activationId()}).
 */
@DataObject
public final class FireOutcome {
  /** The three outcomes of a fire. */
  public enum Kind { FIRED, NO_ACTIVE_RULE, REFUSED }

  private final Kind kind;
  private final String activationId;
  private final int status;
  private final String message;

  private FireOutcome(Kind kind, String activationId, int status, String message) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.activationId = activationId;
    this.status = status;
    this.message = message;
  }

  public FireOutcome(JsonObject json) {
    this(Kind.valueOf(json.getString("kind")), json.getString("activationId"), json.getInteger("status", 0),
        json.getString("message"));
  }

  public static FireOutcome fired(String activationId) {
    return new FireOutcome(Kind.FIRED, Objects.requireNonNull(activationId, "activationId"), 202, null);
  }

  public static FireOutcome noActiveRule() {
    return new FireOutcome(Kind.NO_ACTIVE_RULE, null, 204, null);
  }

  public static FireOutcome refused(int status, String message) {
    return refused(status, message, null);
  }

  /**
   * A refusal that a trigger activation records ({@code recordId}, or null when none was made): the core records
   * fires its {@code firesPerMinute} refused, at most one record per trigger a second.
   */
  public static FireOutcome refused(int status, String message, String recordId) {
    return new FireOutcome(Kind.REFUSED, recordId, status, Objects.requireNonNull(message, "message"));
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The trigger activation's id when {@link Kind#FIRED}; when {@link Kind#REFUSED}, the id of the trigger
   * activation that records the refusal if one was made; else null.
   */
  public String activationId() {
    return activationId;
  }

  /** The HTTP status the REST fire answers: 202, 204, or the refusal's 4xx/5xx. */
  public int status() {
    return status;
  }

  /** OpenWhisk's error message when {@link Kind#REFUSED}, else null. */
  public String message() {
    return message;
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("kind", kind.name()).put("status", status);
    if (activationId != null) {
      o.put("activationId", activationId);
    }
    if (message != null) {
      o.put("message", message);
    }
    return o;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FireOutcome f && f.toJson().equals(toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
