package io.edgewhisk.sync.status;

import io.edgewhisk.spi.HealthComponent;
import io.edgewhisk.sync.couch.CouchClient;
import io.edgewhisk.sync.couch.CouchException;
import io.edgewhisk.sync.push.KafkaLink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every interval: the device status to the plugin's table, the health component and the metrics, and —
 * when the links are up — to the central devices database (one document per device, updated in place)
 * and the status topic (keyed by device id). A status that cannot be sent is simply sent next time.
 */
public final class StatusPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(StatusPublisher.class);

  private final Vertx vertx;
  private final DeviceStatus status;
  private final StatusStore store;
  private final HealthComponent health;
  private final SyncMetrics metrics;
  private final CouchClient couch;
  private final String devicesDb;
  private final KafkaLink kafka;
  private final String statusTopic;
  private final Duration maxBacklogAge;
  private final Clock clock;
  private String rev;
  private long timer = -1;

  public StatusPublisher(Vertx vertx, DeviceStatus status, StatusStore store, HealthComponent health, SyncMetrics metrics,
      CouchClient couch, String devicesDb, KafkaLink kafka, String statusTopic, Duration maxBacklogAge, Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.status = Objects.requireNonNull(status, "status");
    this.store = Objects.requireNonNull(store, "store");
    this.health = Objects.requireNonNull(health, "health");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.couch = couch;
    this.devicesDb = devicesDb;
    this.kafka = kafka;
    this.statusTopic = statusTopic;
    this.maxBacklogAge = Objects.requireNonNull(maxBacklogAge, "maxBacklogAge");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public void start(Duration interval) {
    if (couch != null) {
      couch.createDatabase(devicesDb).onFailure(e -> LOG.info("devices database {} not created: {}", devicesDb, e.getMessage()));
    }
    publish();
    timer = vertx.setPeriodic(interval.toMillis(), t -> publish());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Publishes once; also called at stop so the table shows the last state. */
  public Future<JsonObject> publish() {
    return status.snapshot().compose(doc -> {
      judge(doc);
      return store.save(doc, clock.millis()).map(doc);
    }).onSuccess(doc -> {
      toCouch(doc.copy());
      if (kafka != null) {
        kafka.send(List.of(new KafkaLink.Message(statusTopic, doc.getString("_id"), doc.encode())))
            .onFailure(e -> LOG.debug("status message not sent: {}", e.getMessage()));
      }
    }).onFailure(e -> LOG.warn("device status not recorded: {}", e.getMessage()));
  }

  /** Health and metrics from the status document. */
  private void judge(JsonObject doc) {
    JsonObject links = doc.getJsonObject("links");
    String down = null;
    for (String name : links.fieldNames()) {
      JsonObject l = links.getJsonObject(name);
      metrics.link(name, l.getBoolean("up"));
      if (!l.getBoolean("up") && down == null) {
        down = name + " is down: " + l.getString("lastError", "not connected yet");
      }
    }
    long oldest = 0;
    JsonObject outbox = doc.getJsonObject("outbox");
    for (String name : outbox.fieldNames()) {
      JsonObject o = outbox.getJsonObject(name);
      metrics.outbox(name, o.getLong("depth"), o.getLong("oldestAgeSeconds"), o.getLong("delivered"));
      oldest = Math.max(oldest, o.getLong("oldestAgeSeconds"));
    }
    if (down != null) {
      health.down(down);
    } else if (oldest > maxBacklogAge.toSeconds()) {
      health.degraded("the oldest activation not yet pushed is " + oldest + " s old");
    } else {
      health.ok();
    }
  }

  private void toCouch(JsonObject doc) {
    if (couch == null) {
      return;
    }
    if (rev != null) {
      doc.put("_rev", rev);
    }
    couch.put(devicesDb, doc.getString("_id"), doc).onSuccess(r -> rev = r).onFailure(e -> {
      if (e instanceof CouchException c && c.isConflict()) {
        // another run of this device wrote it: take its revision and write again next time
        couch.find(devicesDb, doc.getString("_id")).onSuccess(d -> rev = d == null ? null : d.getString("_rev"));
      } else {
        LOG.debug("device status not written to {}: {}", devicesDb, e.getMessage());
      }
    });
  }
}
