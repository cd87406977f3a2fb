package io.edgewhisk.health;

import io.edgewhisk.log.LogHealth;
import io.edgewhisk.spi.HealthComponent.Status;
import io.edgewhisk.telemetry.HealthRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Checks each part of the appliance at the time it is asked: the core's probes (Podman, disk, SQLite, the
 * log) run together, each within {@code timeoutMillis} (a probe that does not answer in time is down), and
 * the plugins' components are read from the {@link HealthRegistry} as they last reported themselves.
 */
public final class ApplianceHealth implements HealthCheck {
  /** One part's check; its future may fail (down, with the failure's message). */
  @FunctionalInterface
  public interface Probe {
    Future<HealthReport.Part> probe();
  }

  private final Vertx vertx;
  private final Map<String, Probe> probes;
  private final HealthRegistry plugins;
  private final long timeoutMillis;

  public ApplianceHealth(Vertx vertx, Map<String, Probe> probes, HealthRegistry plugins, long timeoutMillis) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.probes = new LinkedHashMap<>(probes);
    this.plugins = Objects.requireNonNull(plugins, "plugins");
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public Future<HealthReport> check() {
    List<String> names = new ArrayList<>(probes.keySet());
    List<Future<HealthReport.Part>> answers = new ArrayList<>();
    names.forEach(n -> answers.add(bounded(n, probes.get(n))));
    return Future.join(answers).transform(ignored -> {
      Map<String, HealthReport.Part> parts = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        parts.put(names.get(i), answers.get(i).result());
      }
      plugins.snapshot().forEach((n, s) -> parts.put(n, new HealthReport.Part(s.status(), s.reason())));
      return Future.succeededFuture(new HealthReport(parts));
    });
  }

  /** The probe's answer, down when it fails, throws or takes longer than the timeout. */
  private Future<HealthReport.Part> bounded(String name, Probe probe) {
    Promise<HealthReport.Part> answer = Promise.promise();
    long timer = vertx.setTimer(timeoutMillis, t -> answer.tryComplete(
        new HealthReport.Part(Status.DOWN, name + " did not answer within " + timeoutMillis + " ms")));
    Future<HealthReport.Part> f;
    try {
      f = probe.probe();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> {
      vertx.cancelTimer(timer);
      answer.tryComplete(ar.succeeded() ? ar.result()
          : new HealthReport.Part(Status.DOWN, String.valueOf(ar.cause().getMessage())));
    });
    return answer.future();
  }

  /** Down after an I/O failure stopped a topic; degraded when the disk cap dropped unconsumed records or is near. */
  public static HealthReport.Part log(LogHealth log) {
    if (!log.healthy()) {
      return new HealthReport.Part(Status.DOWN, "the log stopped taking records: " + log.failure());
    }
    if (log.droppedRecords() > 0) {
      return new HealthReport.Part(Status.DEGRADED, "the disk cap removed " + log.droppedRecords()
          + " record(s) before every consumer had them");
    }
    if (log.bytes() >= log.diskCapBytes() / 10 * 9) {
      return new HealthReport.Part(Status.DEGRADED, "the log uses " + log.bytes() + " of its " + log.diskCapBytes()
          + " byte disk cap");
    }
    return HealthReport.Part.ok();
  }

  /** Degraded when less than {@code degradedBelow} bytes are free for the state directory, down below 1/8 of that. */
  public static HealthReport.Part disk(String where, long usable, long degradedBelow) {
    if (usable < degradedBelow / 8) {
      return new HealthReport.Part(Status.DOWN, "only " + usable + " bytes free in " + where);
    }
    if (usable < degradedBelow) {
      return new HealthReport.Part(Status.DEGRADED, "only " + usable + " bytes free in " + where + " (degraded below "
          + degradedBelow + ")");
    }
    return HealthReport.Part.ok();
  }

  /** A probe that answers ok when {@code check} succeeds, else down with {@code what} and the failure. */
  public static Probe reachable(String what, Supplier<Future<?>> check) {
    return () -> check.get().transform(ar -> Future.succeededFuture(ar.succeeded() ? HealthReport.Part.ok()
        : new HealthReport.Part(Status.DOWN, what + ": " + ar.cause().getMessage())));
  }
}
