package io.edgewhisk.model;

import io.vertx.core.json.JsonObject;

/** An action's limits: timeout in ms, memory in MB, logs in MB, and concurrent activations per container. */
public record ActionLimits(int timeout, int memory, int logs, int concurrency) {
  public static final ActionLimits DEFAULT = new ActionLimits(60_000, 256, 10, 1);

  public JsonObject toJson() {
    return new JsonObject().put("timeout", timeout).put("memory", memory).put("logs", logs).put("concurrency", concurrency);
  }

  public static ActionLimits fromJson(JsonObject o) {
    if (o == null) {
      return DEFAULT;
    }
    return new ActionLimits(
        o.getInteger("timeout", DEFAULT.timeout),
        o.getInteger("memory", DEFAULT.memory),
        o.getInteger("logs", DEFAULT.logs),
        o.getInteger("concurrency", DEFAULT.concurrency));
  }
}
