package io.edgewhisk.sync.status;

import io.edgewhisk.spi.Telemetry;
import io.edgewhisk.sync.pull.PullReporter;
import io.edgewhisk.sync.push.PushReporter;
import java.util.Objects;

/** Sync's counters and gauges in {@code /metrics} (prefixed {@code edgewhisk_sync_} by the core). */
public final class SyncMetrics implements PullReporter, PushReporter {
  private final Telemetry.Counter pullApplied;
  private final Telemetry.Counter pullRemoved;
  private final Telemetry.Counter pullFailed;
  private final Telemetry.Counter replaced;
  private final Telemetry.Counter rejected;
  private final Telemetry.Gauge linkUp;
  private final Telemetry.Gauge outboxDepth;
  private final Telemetry.Gauge outboxAge;
  private final Telemetry.Gauge delivered;
  private final Telemetry.Counter remoteInvocations;

  public SyncMetrics(Telemetry telemetry) {
    Objects.requireNonNull(telemetry, "telemetry");
    pullApplied = telemetry.counter("pull_applied_total", "Central documents applied at the gateway", "feed");
    pullRemoved = telemetry.counter("pull_removed_total", "Fleet entities removed (deleted centrally or no longer matching)", "feed");
    pullFailed = telemetry.counter("pull_failed_total", "Central documents that could not be applied (see sync status)", "feed");
    replaced = telemetry.counter("local_replaced_total", "Local entities replaced by a central one of the same name");
    rejected = telemetry.counter("push_rejected_total", "Activations the central database refused (kept on sync.rejected)");
    linkUp = telemetry.gauge("link_up", "1 when the link to the central cluster works", "link");
    outboxDepth = telemetry.gauge("outbox_depth", "Activation records not yet acknowledged by the destination", "destination");
    outboxAge = telemetry.gauge("outbox_oldest_age_seconds", "Age of the oldest activation record not yet acknowledged", "destination");
    delivered = telemetry.gauge("delivered", "Activation records acknowledged by the destination since start", "destination");
    remoteInvocations = telemetry.counter("remote_invocations_total",
        "Messages of the invoker topic: answered (run or refused) or malformed (skipped)", "outcome");
  }

  @Override
  public void applied(String feed, String docId) {
    pullApplied.labels(feed).increment();
  }

  @Override
  public void removed(String feed, String docId) {
    pullRemoved.labels(feed).increment();
  }

  @Override
  public void failed(String feed, String docId, String reason, boolean retry) {
    pullFailed.labels(feed).increment();
  }

  @Override
  public void replacedLocal(String name) {
    replaced.increment();
  }

  @Override
  public void rejected(String id, String reason) {
    rejected.increment();
  }

  /** A message of the invoker topic was answered or skipped. */
  public void remoteInvocation(String outcome) {
    remoteInvocations.labels(outcome).increment();
  }

  public void link(String name, boolean up) {
    linkUp.labels(name).set(up ? 1 : 0);
  }

  public void outbox(String destination, long depth, long oldestAgeSeconds, long deliveredSinceStart) {
    outboxDepth.labels(destination).set(depth);
    outboxAge.labels(destination).set(oldestAgeSeconds);
    delivered.labels(destination).set(deliveredSinceStart);
  }
}
