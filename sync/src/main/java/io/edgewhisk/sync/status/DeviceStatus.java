package io.edgewhisk.sync.status;

import io.edgewhisk.sync.SyncConfig;
import io.edgewhisk.sync.link.LinkState;
import io.edgewhisk.sync.pull.FleetPull;
import io.edgewhisk.sync.push.PushLoop;
import io.edgewhisk.sync.state.PullState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The device's status as one JSON document: identity, links, pull position, outbox depth and age, counts
 * and the last error. The same document goes to the central devices database, the status topic, the
 * plugin's table (for {@code edgewhisk sync status}) and the health component.
 */
public final class DeviceStatus {
  private final SyncConfig config;
  private final String version;
  private final long startedAt;
  private final FleetPull pull;
  private final List<PushLoop> pushes;
  private final PullState state;
  private final Clock clock;
  private final AtomicReference<String> lastError = new AtomicReference<>();

  public DeviceStatus(SyncConfig config, String version, FleetPull pull, List<PushLoop> pushes, PullState state, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.version = Objects.requireNonNull(version, "version");
    this.pull = pull;
    this.pushes = List.copyOf(pushes);
    this.state = Objects.requireNonNull(state, "state");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.startedAt = clock.millis();
  }

  public void error(String message) {
    lastError.set(message);
  }

  /** Every link, for health and metrics. */
  public List<LinkState> links() {
    List<LinkState> out = new ArrayList<>();
    if (pull != null) {
      out.add(pull.link());
    }
    pushes.forEach(p -> out.add(p.link()));
    return out;
  }

  public Future<JsonObject> snapshot() {
    long now = clock.millis();
    JsonObject doc = new JsonObject()
        .put("_id", config.deviceId())
        .put("type", "edge-device")
        .put("device", config.deviceId())
        .put("version", version)
        .put("startedAt", startedAt)
        .put("uptime", (now - startedAt) / 1000)
        .put("labels", new JsonArray(config.labels().stream().sorted().toList()))
        .put("namespaces", new JsonArray(config.namespaces().stream().sorted().toList()))
        .put("updated", now);
    JsonObject links = new JsonObject();
    String error = lastError.get();
    for (LinkState l : links()) {
      LinkState.Snapshot s = l.snapshot();
      JsonObject o = new JsonObject().put("up", s.up()).put("since", s.since());
      if (s.lastError() != null && s.lastErrorAt() > 0) {
        o.put("lastError", s.lastError()).put("lastErrorAt", s.lastErrorAt());
        if (!s.up()) {
          error = l.name() + ": " + s.lastError();
        }
      }
      links.put(l.name(), o);
    }
    doc.put("links", links);
    if (pull != null) {
      doc.put("pull", new JsonObject()
          .put("whisksSeq", pull.whisks().position() == null ? null : pull.whisks().position().value())
          .put("subjectsSeq", pull.subjects().position() == null ? null : pull.subjects().position().value())
          .put("lastPullAt", pull.whisks().lastBatchAt()));
    }
    doc.put("lastError", error);
    Future<JsonObject> chain = Future.succeededFuture(doc);
    JsonObject outbox = new JsonObject();
    for (PushLoop p : pushes) {
      chain = chain.compose(d -> p.depth().map(depth -> {
        long oldest = p.oldestPending();
        outbox.put(p.consumer(), new JsonObject().put("depth", depth).put("delivered", p.delivered())
            .put("oldestAgeSeconds", depth == 0 || oldest == 0 ? 0 : (now - oldest) / 1000));
        return d;
      }));
    }
    return chain.map(d -> d.put("outbox", outbox))
        .compose(d -> state.errors(null, 20).map(errors -> {
          JsonArray a = new JsonArray();
          errors.forEach(e -> a.add(new JsonObject().put("feed", e.feed()).put("id", e.docId()).put("reason", e.reason())
              .put("retry", e.retry()).put("attempts", e.attempts())));
          return d.put("pullErrors", a);
        }))
        .compose(d -> state.replaced().map(r -> d.put("replacedLocal", new JsonArray(r))));
  }
}
