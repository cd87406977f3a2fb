package io.edgewhisk.health;

import io.edgewhisk.spi.HealthComponent.Status;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The appliance's health at one moment: every part (the core's and the plugins' components) with its status
 * and, unless ok, the reason; the overall status is the worst of them. Carries no secrets: reasons name
 * paths, sizes and errors, never keys.
 */
public record HealthReport(Map<String, Part> parts) {

  /** One part's state. */
  public record Part(Status status, String reason) {
    public Part {
      Objects.requireNonNull(status, "status");
    }

    public static Part ok() {
      return new Part(Status.OK, null);
    }
  }

  public HealthReport {
    parts = Map.copyOf(parts);
  }

  /** The worst status of all parts (ok when there are none). */
  public Status status() {
    Status worst = Status.OK;
    for (Part p : parts.values()) {
      if (p.status().compareTo(worst) > 0) {
        worst = p.status();
      }
    }
    return worst;
  }

  /** 200 when every part is ok, else 503 (what load balancers and monitors read). */
  public int httpStatus() {
    return status() == Status.OK ? 200 : 503;
  }

  /** {@code {"status":"ok","parts":{"podman":{"status":"ok"},"disk":{"status":"degraded","reason":…}}}}. */
  public JsonObject toJson() {
    JsonObject all = new JsonObject();
    new TreeMap<>(parts).forEach((name, p) -> {
      JsonObject o = new JsonObject().put("status", name(p.status()));
      if (p.reason() != null) {
        o.put("reason", p.reason());
      }
      all.put(name, o);
    });
    return new JsonObject().put("status", name(status())).put("parts", all);
  }

  static String name(Status s) {
    return s.name().toLowerCase(java.util.Locale.ROOT);
  }
}
