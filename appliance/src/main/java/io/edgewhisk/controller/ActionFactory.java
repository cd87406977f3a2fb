package io.edgewhisk.controller;

import io.edgewhisk.config.ActionLimitBounds;
import io.edgewhisk.model.Action;
import io.edgewhisk.model.ActionLimits;
import io.edgewhisk.model.Exec;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.SemVer;
import io.edgewhisk.model.WhiskException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Turns the body of {@code PUT …/actions/…} into an action: a new one, or an update of an existing one
 * where the fields the body leaves out keep their values, as OpenWhisk does.
 */
public final class ActionFactory {
  private final RuntimeKinds kinds;
  private final ActionLimitBounds bounds;
  private final long maxCodeBytes;
  private final long maxParametersBytes;

  public ActionFactory(RuntimeKinds kinds, ActionLimitBounds bounds, long maxCodeBytes, long maxParametersBytes) {
    this.kinds = Objects.requireNonNull(kinds, "kinds");
    this.bounds = Objects.requireNonNull(bounds, "bounds");
    this.maxCodeBytes = maxCodeBytes;
    this.maxParametersBytes = maxParametersBytes;
  }

  /** The action a PUT makes; {@code existing} is null on create. Sequence components are checked elsewhere. */
  public Action build(Identity who, FullyQualifiedName fqn, Action existing, JsonObject body, long now) {
    JsonObject execJson = JsonFields.object(body, "exec", "exec");
    if (existing == null && execJson == null) {
      throw WhiskException.badRequest("The request content was malformed: 'exec' is required to create an action.");
    }
    Exec exec = execJson == null ? existing.exec() : exec(who, execJson);
    KeyValues parameters = EntityRules.keyValues(body, "parameters", existing == null ? null : existing.parameters(),
        maxParametersBytes);
    KeyValues annotations = EntityRules.keyValues(body, "annotations", existing == null ? null : existing.annotations(),
        maxParametersBytes);
    annotations = deleteAnnotations(annotations, JsonFields.array(body, "delAnnotations", "delAnnotations"));
    if (existing == null && !annotations.has("provide-api-key")) {
      annotations = annotations.with("provide-api-key", false);
    }
    annotations = annotations.with("exec", exec.kind());
    EntityRules.checkSize("annotations", annotations.toJson(), maxParametersBytes);
    ActionLimits limits = limits(JsonFields.object(body, "limits", "limits"),
        existing == null ? bounds.defaults() : existing.limits());
    Boolean publish = JsonFields.bool(body, "publish", "publish");
    return new Action(
        fqn,
        existing == null ? SemVer.INITIAL : existing.version().bumpPatch(),
        publish != null ? publish : existing != null && existing.publish(),
        exec,
        parameters,
        annotations,
        limits,
        now);
  }

  private Exec exec(Identity who, JsonObject o) {
    String kind = JsonFields.string(o, "kind", "exec.kind");
    if (kind == null) {
      throw WhiskException.badRequest("The request content was malformed: 'exec.kind' is required.");
    }
    if (Exec.SEQUENCE.equals(kind)) {
      return sequence(who, o);
    }
    String resolved = Exec.BLACKBOX.equals(kind)
        ? kind
        : kinds.resolve(kind).orElseThrow(() -> WhiskException.badRequest("The action kind '" + kind + "' is not supported."));
    List<String> allowed = who.limits().allowedKinds();
    if (allowed != null && !allowed.contains(resolved)) {
      throw new WhiskException(403,
          "The supplied authentication is not authorized to access actions of kind '" + resolved + "'.");
    }
    String code = JsonFields.string(o, "code", "exec.code");
    String image = JsonFields.string(o, "image", "exec.image");
    String main = JsonFields.string(o, "main", "exec.main");
    Boolean binary = JsonFields.bool(o, "binary", "exec.binary");
    if (Exec.BLACKBOX.equals(resolved)) {
      if (image == null || image.isBlank()) {
        throw WhiskException.badRequest("The request content was malformed: 'exec.image' is required for a blackbox action.");
      }
    } else if (code == null) {
      throw WhiskException.badRequest("The request content was malformed: 'exec.code' is required for kind '" + resolved + "'.");
    }
    if (code != null && code.length() > maxCodeBytes) {
      throw new WhiskException(413, "exec larger than allowed: " + code.length() + " > " + maxCodeBytes + " bytes.");
    }
    boolean isBinary = binary != null ? binary : code != null && looksLikeZip(code);
    if (isBinary && code != null && !isBase64(code)) {
      throw WhiskException.badRequest("The request content was malformed: 'exec.code' is marked binary but is not base64.");
    }
    return new Exec.Code(resolved, code, isBinary, main, image);
  }

  private Exec sequence(Identity who, JsonObject o) {
    JsonArray components = JsonFields.array(o, "components", "exec.components");
    if (components == null || components.isEmpty()) {
      throw WhiskException.badRequest("No component specified for the sequence.");
    }
    if (components.size() > bounds.sequenceMaxLength()) {
      throw WhiskException.badRequest("Too many actions in the sequence.");
    }
    List<FullyQualifiedName> names = new ArrayList<>(components.size());
    for (Object c : components) {
      if (!(c instanceof String s)) {
        throw WhiskException.badRequest("The request content was malformed: 'exec.components' must be an array of action names.");
      }
      FullyQualifiedName fqn = FullyQualifiedName.parse(s, who.namespace());
      names.add("_".equals(fqn.namespace()) ? new FullyQualifiedName(who.namespace(), fqn.pkg(), fqn.name()) : fqn);
    }
    return new Exec.Sequence(names);
  }

  private ActionLimits limits(JsonObject o, ActionLimits base) {
    if (o == null) {
      return base;
    }
    int timeout = within(o, "timeout", base.timeout(), bounds.minTimeout(), bounds.maxTimeout(), "milliseconds");
    int memory = within(o, "memory", base.memory(), bounds.minMemory(), bounds.maxMemory(), "MB");
    int logs = within(o, "logs", base.logs(), bounds.minLogs(), bounds.maxLogs(), "MB");
    int concurrency = within(o, "concurrency", base.concurrency(), bounds.minConcurrency(), bounds.maxConcurrency(), "activations");
    return new ActionLimits(timeout, memory, logs, concurrency);
  }

  private static int within(JsonObject o, String field, int base, int min, int max, String unit) {
    Integer v = JsonFields.integer(o, field, "limits." + field);
    if (v == null) {
      return base;
    }
    if (v < min || v > max) {
      throw WhiskException.badRequest("The request content was malformed: the " + field + " limit " + v + " " + unit
          + " is out of range; it must be between " + min + " and " + max + " " + unit + ".");
    }
    return v;
  }

  private static KeyValues deleteAnnotations(KeyValues annotations, JsonArray delete) {
    if (delete == null) {
      return annotations;
    }
    List<String> keys = delete.stream().map(String::valueOf).toList();
    return new KeyValues(annotations.entries().stream().filter(kv -> !keys.contains(kv.key())).toList());
  }

  /** OpenWhisk treats base64 whose bytes start a zip archive as a binary action. */
  static boolean looksLikeZip(String code) {
    if (code.length() < 8 || !isBase64(code.substring(0, 8))) {
      return false;
    }
    byte[] head = Base64.getMimeDecoder().decode(code.substring(0, 8));
    return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
  }

  /**
   * Base64 as Java's MIME decoder reads it, without its leniency: line breaks and spaces may separate
   * the characters, but anything outside the alphabet, padding before the end, or a length that no
   * encoding has, is not base64 (the MIME decoder would skip such characters and answer garbage).
   */
  static boolean isBase64(String s) {
    int symbols = 0;
    int padding = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n' || c == ' ' || c == '\t') {
        continue;
      }
      if (c == '=') {
        padding++;
        continue;
      }
      boolean alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
      if (!alphabet || padding > 0) {
        return false;
      }
      symbols++;
    }
    int total = symbols + padding;
    return padding <= 2 && (padding == 0 ? symbols % 4 != 1 : total % 4 == 0);
  }
}
