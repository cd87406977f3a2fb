package io.edgewhisk.controller;

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
 * stored, so a crash replays what was not finished. A replayed record whose activation was already
 * recorded is not run again.
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
  private final ArrayDeque<Promise<Void>> waitingForRoom = new ArrayDeque<>();
  private CompletedOffsets offsets;
  private long replayEnd;
  private long lastCommitted;
  private long commitTimer;
  private Subscription subscription;

  public InvokeFeed(AppendLog log, SubjectStore subjects, EntityStore entities, ActivationStore activations,
      ActionRunner runner, ActivationRecorder recorder, int maxRunning) {
    this.log = Objects.requireNonNull(log, "log");
    this.subjects = Objects.requireNonNull(subjects, "subjects");
    this.entities = Objects.requireNonNull(entities, "entities");
    this.activations = Objects.requireNonNull(activations, "activations");
    this.runner = Objects.requireNonNull(runner, "runner");
    this.recorder = Objects.requireNonNull(recorder, "recorder");
    this.maxRunning = maxRunning;
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
          return log.follow(Topic.INVOKE, committed, 256, this::deliver);
        })
        .onSuccess(s -> {
          subscription = s;
          commitTimer = vertx.setPeriodic(COMMIT_INTERVAL_MS, t -> commit());
        });
  }

  private Future<?> deliver(List<LogRecord> batch) {
    for (LogRecord r : batch) {
      offsets.started(r.offset());
      run(r).onComplete(ar -> {
        if (ar.failed()) {
          LOG.error("invocation at offset {} failed to finish", r.offset(), ar.cause());
        }
        offsets.finished(r.offset());
        roomMade();
      });
    }
    if (offsets.running() < maxRunning) {
      return Future.succeededFuture();
    }
    Promise<Void> room = Promise.promise();
    waitingForRoom.add(room);
    return room.future();
  }

  private void roomMade() {
    vertx.runOnContext(v -> {
      while (!waitingForRoom.isEmpty() && offsets.running() < maxRunning) {
        waitingForRoom.poll().complete();
      }
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
    Identity who = subjects.identityOf(m.namespace());
    if (who == null) {
      LOG.warn("activation {}: namespace {} no longer exists; not run", m.activationId(), m.namespace());
      return Future.succeededFuture();
    }
    MDC.put("activationId", m.activationId().value());
    try {
      Future<Boolean> seen = record.offset() < replayEnd
          ? activations.get(m.namespace(), m.activationId()).map(Objects::nonNull)
          : Future.succeededFuture(false);
      return seen.compose(already -> already ? Future.succeededFuture() : runOnce(m, who));
    } finally {
      MDC.remove("activationId");
    }
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
    }).compose(a -> recorder.record(a, who));
  }

  private void commit() {
    long next = offsets.committable();
    if (next > lastCommitted) {
      lastCommitted = next;
      log.commit(Topic.INVOKE, CONSUMER, next).onFailure(t -> LOG.warn("could not commit the invoke topic: {}", t.toString()));
    }
  }

  /** Activations being run now. */
  public int running() {
    return offsets == null ? 0 : offsets.running();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(commitTimer);
    Future<?> cancelled = subscription == null ? Future.succeededFuture() : subscription.cancel();
    return cancelled.compose(v -> {
      long next = offsets == null ? lastCommitted : offsets.committable();
      return next > lastCommitted ? log.commit(Topic.INVOKE, CONSUMER, next) : Future.succeededFuture();
    });
  }
}
