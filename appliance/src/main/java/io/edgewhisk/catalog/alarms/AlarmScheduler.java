package io.edgewhisk.catalog.alarms;

import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.WhiskException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the alarm feeds' triggers when they are due. Holds the schedules of {@link AlarmStore} in memory, on
 * one Vert.x context, with one timer set to the earliest fire; each fire is an ordinary trigger fire through
 * the SPI's {@link io.edgewhisk.spi.TriggerService} as the trigger's owner. As OpenWhisk's alarm provider does, fires missed while the
 * appliance was down are skipped, not replayed (a fire-once alarm whose date passed is disabled); an
 * alarm that reaches its maxTriggers or its stopDate, or whose fire is refused for good (a 4xx other than 408
 * and 429), is disabled with OpenWhisk's reason; other failures are retried a few times.
 */
public final class AlarmScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmScheduler.class);
  /** The longest {@link #stop} waits for fires under way. */
  static final long DRAIN_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final AlarmStore store;
  private final AlarmFiring firing;
  private final Clock clock;
  private final AlarmsConfig config;
  private final io.edgewhisk.spi.Telemetry.Counter fires;

  private final Map<FullyQualifiedName, Alarm> alarms = new java.util.concurrent.ConcurrentHashMap<>();
  private final Set<FullyQualifiedName> inFlight = new HashSet<>();
  private final Map<FullyQualifiedName, Integer> retries = new HashMap<>();
  private final List<Promise<Void>> drained = new java.util.ArrayList<>();
  private volatile Context context;
  private boolean running;
  private long timer = -1;

  public AlarmScheduler(Vertx vertx, AlarmStore store, AlarmFiring firing, Clock clock, AlarmsConfig config,
      io.edgewhisk.spi.Telemetry.Counter fires) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.firing = Objects.requireNonNull(firing, "firing");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.config = Objects.requireNonNull(config, "config");
    this.fires = Objects.requireNonNull(fires, "fires");
  }

  /** How many alarms the scheduler holds (for the gauge; read on a scrape, so only the map's size). */
  public double size() {
    return alarms.size();
  }

  /** Loads the stored schedules and starts firing them. */
  public Future<Void> start() {
    Context c = vertx.getOrCreateContext();
    Promise<Void> started = Promise.promise();
    c.runOnContext(v -> {
      this.context = c;
      this.running = true;
      store.all().compose(this::load).onComplete(started);
    });
    return started.future();
  }

  /**
   * Stops firing; completes once the fires under way are recorded (or after {@link #DRAIN_TIMEOUT_MS}), so that
   * the database can be closed next.
   */
  public Future<Void> stop() {
    Context c = context;
    if (c == null) {
      return Future.succeededFuture();
    }
    Promise<Void> stopped = Promise.promise();
    c.runOnContext(v -> {
      running = false;
      cancelTimer();
      if (inFlight.isEmpty()) {
        stopped.complete();
      } else {
        drained.add(stopped);
        vertx.setTimer(DRAIN_TIMEOUT_MS, id -> stopped.tryComplete());
      }
    });
    return stopped.future();
  }

  private void landed(FullyQualifiedName trigger) {
    inFlight.remove(trigger);
    if (!running && inFlight.isEmpty()) {
      drained.forEach(Promise::tryComplete);
      drained.clear();
    }
  }

  /** Takes up the stored state of the trigger's alarm after a feed changed or removed it. */
  public Future<Void> refresh(FullyQualifiedName trigger) {
    Objects.requireNonNull(trigger, "trigger");
    Context c = context;
    if (c == null) {
      return Future.succeededFuture(); // not started: start() reads the store
    }
    Promise<Void> done = Promise.promise();
    c.runOnContext(v -> store.get(trigger).onComplete(ar -> {
      if (ar.succeeded() && running) {
        retries.remove(trigger);
        if (ar.result() == null) {
          alarms.remove(trigger);
        } else {
          alarms.put(trigger, ar.result());
        }
        arm();
      }
      done.handle(ar.mapEmpty());
    }));
    return done.future();
  }

  /** The schedules loaded; fires missed while down are skipped, as OpenWhisk's provider skips them. */
  private Future<Void> load(List<Alarm> stored) {
    long now = clock.millis();
    alarms.clear();
    List<Future<Boolean>> writes = new java.util.ArrayList<>();
    for (Alarm a : stored) {
      Alarm current = a;
      if (a.active() && (a.nextFire() == null || a.nextFire() <= now)) {
        Long next = a.nextFireAfter(now);
        current = next != null
            ? a.withStatus(a.fireCount(), a.paused(), null, a.statusChanged(), next, a.revision())
            : a.disabledFor(null, "Automatically disabled after receiving error on trigger initialization: "
                + (a.kind() == AlarmKind.ONCE ? "the fire once date has expired" : "the stop date has expired"), now);
        if (next != null) {
          LOG.info("Alarm of {} missed its fire while the appliance was down; next fire at {}", a.trigger(),
              java.time.Instant.ofEpochMilli(next));
        }
        writes.add(store.update(current, a.revision()));
      }
      alarms.put(current.trigger(), current);
    }
    LOG.info("Alarm scheduler started with {} alarms", alarms.size());
    arm();
    return Future.all(writes).mapEmpty();
  }

  private void arm() {
    cancelTimer();
    if (!running) {
      return;
    }
    long earliest = Long.MAX_VALUE;
    for (Alarm a : alarms.values()) {
      if (a.active() && a.nextFire() != null && !inFlight.contains(a.trigger())) {
        earliest = Math.min(earliest, a.nextFire());
      }
    }
    if (earliest == Long.MAX_VALUE) {
      return;
    }
    // wake up at least every maxSleep, so that a clock set forward is noticed
    long delay = Math.max(1, Math.min(earliest - clock.millis(), config.maxSleep().toMillis()));
    timer = vertx.setTimer(delay, id -> {
      timer = -1;
      tick();
    });
  }

  private void cancelTimer() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void tick() {
    if (!running) {
      return;
    }
    long now = clock.millis();
    for (Alarm a : List.copyOf(alarms.values())) {
      if (a.active() && a.nextFire() != null && a.nextFire() <= now && !inFlight.contains(a.trigger())) {
        fire(a);
      }
    }
    arm();
  }

  private void fire(Alarm alarm) {
    inFlight.add(alarm.trigger());
    Future<?> fired;
    try {
      fired = firing.fire(alarm);
    } catch (RuntimeException e) {
      fired = Future.failedFuture(e);
    }
    fired.onComplete(ar -> context.runOnContext(v -> afterFire(alarm, ar)));
  }

  private void afterFire(Alarm alarm, AsyncResult<?> result) {
    Alarm current = alarms.get(alarm.trigger());
    if (current == null || current.revision() != alarm.revision()) {
      // its owner changed or deleted it meanwhile: their change stands
      landed(alarm.trigger());
      arm();
      return;
    }
    long now = clock.millis();
    if (result.succeeded()) {
      fires.labels("fired").increment();
      retries.remove(alarm.trigger());
      if (alarm.kind() == AlarmKind.ONCE && !"false".equals(alarm.deleteAfterFire())) {
        firing.deleteTrigger(alarm)
            .onComplete(ar -> settle(alarm, null));
        return;
      }
      settle(alarm, afterSuccess(alarm, now));
    } else {
      settle(alarm, afterFailure(alarm, WhiskException.from(result.cause()), now));
    }
  }

  private Alarm afterSuccess(Alarm alarm, long now) {
    long count = alarm.fireCount() + 1;
    Alarm counted = alarm.withStatus(count, alarm.paused(), null, alarm.statusChanged(), null, alarm.revision());
    if (alarm.kind() == AlarmKind.ONCE) {
      return counted.disabledFor(null, "Automatically disabled after firing once", now);
    }
    if (alarm.maxTriggers() != Alarm.UNLIMITED && count >= alarm.maxTriggers()) {
      return counted.disabledFor(null, "Automatically disabled after reaching max triggers", now);
    }
    Long next = alarm.nextFireAfter(now);
    if (next == null) {
      return counted.disabledFor(null, "Automatically disabled after firing last scheduled "
          + (alarm.kind() == AlarmKind.CRON ? "cron" : "interval") + " trigger", now);
    }
    return counted.withStatus(count, alarm.paused(), null, alarm.statusChanged(), next, alarm.revision());
  }

  private Alarm afterFailure(Alarm alarm, WhiskException e, long now) {
    int status = e.status();
    boolean forGood = status >= 400 && status < 500 && status != 408 && status != 429;
    fires.labels(forGood ? "refused" : "failed").increment();
    if (forGood) {
      LOG.warn("Disabling the alarm of {}: its fire was refused with {} {}", alarm.trigger(), status, e.getMessage());
      retries.remove(alarm.trigger());
      return alarm.disabledFor(status, "Automatically disabled after receiving a " + status
          + " status code when firing the trigger", now);
    }
    int attempt = retries.merge(alarm.trigger(), 1, Integer::sum);
    if (attempt <= config.retryAttempts()) {
      LOG.info("Firing {} failed ({} {}); retry {} of {}", alarm.trigger(), status, e.getMessage(), attempt,
          config.retryAttempts());
      return alarm.withStatus(alarm.fireCount(), alarm.paused(), null, alarm.statusChanged(),
          now + config.retryDelay().toMillis(), alarm.revision());
    }
    retries.remove(alarm.trigger());
    LOG.warn("Firing {} failed {} times; giving up this fire", alarm.trigger(), attempt);
    Long next = alarm.nextFireAfter(now);
    return next == null
        ? alarm.disabledFor(null, "Unable to fire trigger " + alarm.trigger().absolute(), now)
        : alarm.withStatus(alarm.fireCount(), alarm.paused(), null, alarm.statusChanged(), next, alarm.revision());
  }

  /** Records the outcome of a fire: {@code updated} null means the alarm is gone. */
  private void settle(Alarm fired, Alarm updated) {
    Future<Boolean> written = updated == null
        ? store.delete(fired.trigger())
        : store.update(updated, fired.revision());
    written.onComplete(ar -> {
      landed(fired.trigger());
      if (ar.failed()) {
        LOG.warn("Could not record the fire of {}", fired.trigger(), ar.cause());
      }
      Alarm current = alarms.get(fired.trigger());
      if (current != null && current.revision() == fired.revision()) {
        if (updated == null) {
          alarms.remove(fired.trigger());
        } else {
          alarms.put(fired.trigger(), updated);
        }
      }
      arm();
    });
  }
}
