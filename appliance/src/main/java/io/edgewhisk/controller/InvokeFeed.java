package io.edgewhisk.controller;

import io.edgewhisk.config.ActivationMdc;
import io.edgewhisk.log.AppendLog;
import io.edgewhisk.log.LogRecord;
import io.edgewhisk.log.Subscription;
import io.edgewhisk.log.Topic;
import io.edgewhisk.model.Action;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationMessage;
import io.edgewhisk.model.ActivationResponse;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.KeyValue;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.store.ActivationStore;
import io.edgewhisk.store.EntityStore;
import io.edgewhisk.store.SubjectStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The invoker's consumer of the {@code invoke} topic. Records are run concurrently as they come; the
 * committed offset is the one before the oldest activation still running, moved only once its record is
 * stored and appended to the {@code activations} topic (synced before the commit), so a crash replays
 * what was not finished. A
 * replayed record whose activation was already stored is not run again, but appended again (the crash
 * may have come between the two). One that has been started {@code max-attempts} times already (it may be
 * what brought the process down) is not run again either: it is recorded as a whisk internal error.
 */
public final class InvokeFeed extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(InvokeFeed.class);
  /** The consumer whose committed offset is the truth: everything before it has its record stored. */
  static final String CONSUMER = "invoker";
  /**
   * How often the finished prefix is committed. Each commit is an fsync on the log's writer; what a
   * crash replays of the last interval is recognised by its stored record and not run again.
   */
  private static final long COMMIT_INTERVAL_MS = 500;

  private final AppendLog log;
  private final SubjectStore subjects;
  private final EntityStore entities;
  private final ActivationStore activations;
  private final ActionRunner runner;
  private final ActivationRecorder recorder;
  private final int maxRunning;
  private final ReplayWindows replays;
  private final int maxAttempts;
  private final AcceptBurst burst;
  private final EarlyStarts early;
  /** Records taken from the log and not started yet (during a burst, or when maxRunning are running). */
  private final ArrayDeque<LogRecord> pending = new ArrayDeque<>();
  private Promise<Void> wantsMore;
  /**
   * How many more activations the feed would start at once now (0 while records wait for room), kept for
   * {@link EarlyStarts} on other threads; refreshed whenever the feed starts or finishes one.
   */
  private volatile int free;
  private CompletedOffsets offsets;
  private long replayEnd;
  private long lastCommitted;
  private long commitTimer;
  private Subscription subscription;

  public InvokeFeed(AppendLog log, SubjectStore subjects, EntityStore entities, ActivationStore activations,
      ActionRunner runner, ActivationRecorder recorder, int maxRunning, ReplayWindows replays, int maxAttempts) {
    this(log, subjects, entities, activations, runner, recorder, maxRunning, replays, maxAttempts, AcceptBurst.NONE,
        new EarlyStarts());
  }

  /**
   * With {@code burst}: runs fewer activations at once while the API takes in a burst of accepts; with
   * {@code early}: starts blocking invocations for the API as soon as they are admitted.
   */
  public InvokeFeed(AppendLog log, SubjectStore subjects, EntityStore entities, ActivationStore activations,
      ActionRunner runner, ActivationRecorder recorder, int maxRunning, ReplayWindows replays, int maxAttempts,
      AcceptBurst burst, EarlyStarts early) {
    this.log = Objects.requireNonNull(log, "log");
    this.subjects = Objects.requireNonNull(subjects, "subjects");
    this.entities = Objects.requireNonNull(entities, "entities");
    this.activations = Objects.requireNonNull(activations, "activations");
    this.runner = Objects.requireNonNull(runner, "runner");
    this.recorder = Objects.requireNonNull(recorder, "recorder");
    this.maxRunning = maxRunning;
    this.replays = Objects.requireNonNull(replays, "replays");
    this.maxAttempts = maxAttempts;
    this.burst = Objects.requireNonNull(burst, "burst");
    this.early = Objects.requireNonNull(early, "early");
  }

  /** The state directory's file that remembers replays across crashes. */
  public static ReplayWindows replaysIn(io.vertx.core.Vertx vertx, java.nio.file.Path stateDir) {
    return new ReplayWindows(vertx, stateDir.resolve("invoke-replays"));
  }

  @Override
  public Future<?> start() {
    replayEnd = log.endOffset(Topic.INVOKE);
    return log.register(Topic.INVOKE, CONSUMER)
        .compose(committed -> {
          offsets = new CompletedOffsets(committed);
          lastCommitted = committed;
          if (replayEnd > committed) {
            LOG.info("replaying {} invocations not finished before the last stop", replayEnd - committed);
          }
          return replays.begin(committed, replayEnd).compose(v -> log.follow(Topic.INVOKE, committed, 256, this::deliver));
        })
        .onSuccess(s -> {
          subscription = s;
          free = Math.max(0, burst.maxRunning(maxRunning) - offsets.running());
          commitTimer = vertx.setPeriodic(COMMIT_INTERVAL_MS, t -> commit());
          early.attach(new EarlyStarts.Starter() {
            @Override
            public Future<Void> start(ActivationMessage message, Identity who) {
              return runEarly(message, who);
            }

            @Override
            public boolean hasRoomBeside(int unclaimed) {
              return free > unclaimed;
            }
          });
        });
  }

  /**
   * Takes a batch from the log and starts what fits; the next batch is asked for once all of this one
   * has started and there is room for more. During a burst of accepts ({@link AcceptBurst}) less fits.
   */
  private Future<?> deliver(List<LogRecord> batch) {
    pending.addAll(batch);
    startWhatFits();
    if (pending.isEmpty() && offsets.running() < burst.maxRunning(maxRunning)) {
      return Future.succeededFuture();
    }
    wantsMore = Promise.promise();
    return wantsMore.future();
  }

  private void startWhatFits() {
    int room = burst.maxRunning(maxRunning);
    while (!pending.isEmpty() && offsets.running() < room) {
      start(pending.poll());
    }
    free = pending.isEmpty() ? room - offsets.running() : 0;
    if (wantsMore != null && pending.isEmpty() && offsets.running() < room) {
      Promise<Void> more = wantsMore;
      wantsMore = null;
      more.complete();
    }
  }

  private void start(LogRecord r) {
    offsets.started(r.offset());
    run(r).onComplete(ar -> {
      if (ar.failed()) {
        LOG.error("invocation at offset {} failed to finish", r.offset(), ar.cause());
      }
      offsets.finished(r.offset());
      context.runOnContext(v -> startWhatFits());
    });
  }

  private Future<Void> run(LogRecord record) {
    ActivationMessage m;
    try {
      m = ActivationMessage.fromJson(new JsonObject(record.value()));
    } catch (RuntimeException e) {
      LOG.error("dropping an unreadable invocation at offset {}: {}", record.offset(), e.toString());
      return Future.succeededFuture();
    }
    Future<Void> startedEarly = early.claim(m.activationId());
    if (startedEarly != null) {
      return startedEarly;
    }
    Identity who = subjects.identityOf(m.namespace());
    if (who == null) {
      ActivationMdc.run(m.activationId(), m.namespace(),
          () -> LOG.warn("activation {}: namespace {} no longer exists; not run", m.activationId(), m.namespace()));
      return Future.succeededFuture();
    }
    MDC.put(ActivationMdc.ACTIVATION_ID, m.activationId().value());
    MDC.put(ActivationMdc.NAMESPACE, m.namespace());
    try {
      if (record.offset() >= replayEnd) {
        return runOnce(m, who);
      }
      return activations.document(m.namespace(), m.activationId()).compose(stored -> {
        if (stored != null) {
          return recorder.republish(m.activationId().value(), stored);
        }
        int tries = replays.tries(record.offset());
        if (tries > maxAttempts) {
          LOG.warn("activation {} was started {} times and never finished; recorded as a whisk internal error",
              m.activationId(), tries - 1);
          return recorder.recordReplayable(givenUp(m, who, tries - 1), who);
        }
        return runOnce(m, who);
      });
    } finally {
      MDC.remove(ActivationMdc.ACTIVATION_ID);
      MDC.remove(ActivationMdc.NAMESPACE);
    }
  }

  /** An {@link EarlyStarts} run: on the API's context, before the record is on the topic. */
  private Future<Void> runEarly(ActivationMessage m, Identity who) {
    MDC.put(ActivationMdc.ACTIVATION_ID, m.activationId().value());
    MDC.put(ActivationMdc.NAMESPACE, m.namespace());
    try {
      return runOnce(m, who);
    } finally {
      MDC.remove(ActivationMdc.ACTIVATION_ID);
      MDC.remove(ActivationMdc.NAMESPACE);
    }
  }

  private static Activation givenUp(ActivationMessage m, Identity who, int tries) {
    long now = System.currentTimeMillis();
    return new Activation(who.namespace(), m.action().name(), who.subject(), m.activationId(), now, now, 0, m.cause(),
        ActivationResponse.whiskError("The activation was started " + tries + " times and the appliance stopped each time"
            + " before it finished; it is not run again."),
        List.of(), new KeyValues(List.of(KeyValue.of("path", m.action().toString()))), m.version(), false);
  }

  private Future<Void> runOnce(ActivationMessage m, Identity who) {
    return entities.get(m.action()).compose(e -> {
      if (e instanceof Action action) {
        return runner.run(who, action, m.content(), m.activationId(), m.cause(), m.transactionId(), m.receivedAt());
      }
      long now = System.currentTimeMillis();
      return Future.succeededFuture(Activation.record(who.namespace(), m.action().name(), who.subject(), m.activationId(),
          now, now, 0, m.cause(), ActivationResponse.whiskError("Action could not be found or may have been deleted."),
          List.of(), new KeyValues(List.of(KeyValue.of("path", m.action().toString()))), m.version()));
    }).compose(a -> recorder.recordReplayable(a, who));
  }

  private void commit() {
    long next = offsets.committable();
    if (next > lastCommitted) {
      lastCommitted = next;
      commitUpTo(next).onFailure(t -> LOG.warn("could not commit the invoke topic: {}", t.toString()));
    }
  }

  /**
   * The finished activations' records were appended to the {@code activations} topic without an fsync
   * each: that topic is synced first, so a committed offset never stands for a record a power cut could
   * still take from the topic.
   */
  private Future<Void> commitUpTo(long next) {
    return recorder.syncAppended().compose(v -> log.commit(Topic.INVOKE, CONSUMER, next));
  }

  /** Activations being run now. */
  public int running() {
    return offsets == null ? 0 : offsets.running();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(commitTimer);
    early.detach();
    pending.clear(); // not started, so not committed: the next start runs them
    Future<?> cancelled = subscription == null ? Future.succeededFuture() : subscription.cancel();
    return cancelled.compose(v -> {
      long next = offsets == null ? lastCommitted : offsets.committable();
      return next > lastCommitted ? commitUpTo(next) : Future.succeededFuture();
    });
  }
}
