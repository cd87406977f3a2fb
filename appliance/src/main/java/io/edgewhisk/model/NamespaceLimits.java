package io.edgewhisk.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A namespace's limits. A null field means "the system default"; {@link #orDefaults} fills them in.
 * {@code allowedKinds} null means every kind.
 */
public record NamespaceLimits(
    Integer invocationsPerMinute,
    Integer concurrentInvocations,
    Integer firesPerMinute,
    List<String> allowedKinds,
    Boolean storeActivations) {

  public static final NamespaceLimits NONE = new NamespaceLimits(null, null, null, null, null);

  public NamespaceLimits {
    allowedKinds = allowedKinds == null ? null : List.copyOf(allowedKinds);
  }

  /** These limits with every unset field taken from {@code defaults}. */
  public NamespaceLimits orDefaults(NamespaceLimits defaults) {
    return new NamespaceLimits(
        invocationsPerMinute != null ? invocationsPerMinute : defaults.invocationsPerMinute,
        concurrentInvocations != null ? concurrentInvocations : defaults.concurrentInvocations,
        firesPerMinute != null ? firesPerMinute : defaults.firesPerMinute,
        allowedKinds != null ? allowedKinds : defaults.allowedKinds,
        storeActivations != null ? storeActivations : defaults.storeActivations);
  }

  /** OpenWhisk's JSON form; unset fields are left out. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    if (invocationsPerMinute != null) o.put("invocationsPerMinute", invocationsPerMinute);
    if (concurrentInvocations != null) o.put("concurrentInvocations", concurrentInvocations);
    if (firesPerMinute != null) o.put("firesPerMinute", firesPerMinute);
    if (allowedKinds != null) o.put("allowedKinds", new JsonArray(allowedKinds));
    if (storeActivations != null) o.put("storeActivations", storeActivations);
    return o;
  }

  public static NamespaceLimits fromJson(JsonObject o) {
    if (o == null) {
      return NONE;
    }
    JsonArray kinds = o.getJsonArray("allowedKinds");
    return new NamespaceLimits(
        o.getInteger("invocationsPerMinute"),
        o.getInteger("concurrentInvocations"),
        o.getInteger("firesPerMinute"),
        kinds == null ? null : kinds.stream().map(String::valueOf).toList(),
        o.getBoolean("storeActivations"));
  }
}
