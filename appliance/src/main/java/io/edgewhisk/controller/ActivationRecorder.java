package io.edgewhisk.controller;

import io.edgewhisk.invoker.LogMemory;
import io.edgewhisk.log.AppendLog;
import io.edgewhisk.log.Topic;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.Identity;
import io.edgewhisk.store.ActivationStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to every finished activation: the waiting caller hears of it at once, the record is
 * stored (unless the namespace has {@code storeActivations:false}) and appended durably to the
 * {@code activations} topic, which fleet sync pushes from. Every stored record is on that topic: either
 * the append comes first, or (for the invoke feed's records) the feed re-appends a stored record it finds
 * on replay, so a crash between the two cannot leave one without the other. A record that cannot be
 * appended is logged and counted ({@code edgewhisk_activations_unappended_total}), never silently lost.
 */
public final class ActivationRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(ActivationRecorder.class);
  /** Records with more log lines than this are encoded on a worker, not on the caller's event loop. */
  private static final int ENCODE_IN_PLACE_LINES = 256;

  private final Vertx vertx;
  private final ActivationStore store;
  private final AppendLog log;
  private final ActivationCompletions completions;
  private final ActivationEncoding encoding;
  private final LogMemory logMemory;
  /** Large records are encoded one at a time: each takes a few times its size while it is written. */
  private final WorkerExecutor largeRecords;
  private final AtomicLong unappended = new AtomicLong();
  private final java.util.List<java.util.function.Consumer<Activation>> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public ActivationRecorder(Vertx vertx, ActivationStore store, AppendLog log, ActivationCompletions completions,
      ActivationEncoding encoding, LogMemory logMemory) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.log = Objects.requireNonNull(log, "log");
    this.completions = Objects.requireNonNull(completions, "completions");
    this.encoding = Objects.requireNonNull(encoding, "encoding");
    this.logMemory = Objects.requireNonNull(logMemory, "logMemory");
    this.largeRecords = vertx.createSharedWorkerExecutor("edgewhisk-record-encoder", 1);
  }

  /**
   * The action has answered; its logs are still being collected. A blocking caller is answered now,
   * with the record as it stands (as OpenWhisk answers from its invoker's active ack).
   */
  public void announce(Activation early) {
    completions.complete(encoding.fitNesting(early));
  }

  /** Hands {@code listener} every finished record once, when it is recorded (for metrics). */
  public void onRecorded(java.util.function.Consumer<Activation> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  private void recorded(Activation a) {
    listeners.forEach(l -> l.accept(a));
  }

  /**
   * Appends the record durably, then stores it; completes once both are done. For records that nothing
   * replays (sequence components, trigger activations): a crash between the two leaves the record on
   * the topic only, never stored without it.
   */
  public Future<Void> record(Activation activation, Identity who) {
    recorded(activation);
    return encode(activation).compose(e -> {
      completions.complete(e.activation());
      return append(e).compose(v -> store(e, who)).onComplete(ar -> completions.stored(e.activation()));
    }).onComplete(ar -> logMemory.releaseLines(activation.logs()));
  }

  /**
   * Stores the record, then appends it (written, not yet synced); completes once both are done. For the
   * invoke feed's records: the feed syncs the topic before it commits the offsets that stand for them
   * ({@link #syncAppended}), and its replay after a crash finds a stored record and
   * {@link #republish}es it, so no fsync per record is needed.
   */
  public Future<Void> recordReplayable(Activation activation, Identity who) {
    recorded(activation);
    return encode(activation).compose(e -> {
      completions.complete(e.activation());
      return store(e, who).compose(v -> append(e.activation().activationId().value(), e.json(), false))
          .onComplete(ar -> completions.stored(e.activation()));
    }).onComplete(ar -> logMemory.releaseLines(activation.logs()));
  }

  /** Appends a stored record again (its first append may have been cut short by a crash); see {@link #recordReplayable}. */
  public Future<Void> republish(String activationId, Buffer document) {
    return append(activationId, document, false);
  }

  /** Makes the records appended so far durable on the {@code activations} topic. */
  public Future<Void> syncAppended() {
    return log.sync(Topic.ACTIVATIONS);
  }

  /** Records that could not be appended to the {@code activations} topic since start. */
  public long unappended() {
    return unappended.get();
  }

  private Future<ActivationEncoding.Encoded> encode(Activation a) {
    if (a.logs().size() <= ENCODE_IN_PLACE_LINES) {
      return Future.succeededFuture(encoding.encode(a));
    }
    return largeRecords.executeBlocking(() -> encoding.encode(a), true);
  }

  /** Stores the record with the document encoded for the topic: a record is encoded once. */
  private Future<Void> store(ActivationEncoding.Encoded e, Identity who) {
    return Boolean.FALSE.equals(who.limits().storeActivations()) ? Future.succeededFuture()
        : store.store(e.activation(), e.json());
  }

  private Future<Void> append(ActivationEncoding.Encoded e) {
    return append(e.activation().activationId().value(), e.json(), true);
  }

  private Future<Void> append(String activationId, Buffer json, boolean durable) {
    return log.append(Topic.ACTIVATIONS, json, durable).<Void>mapEmpty().recover(t -> {
      unappended.incrementAndGet();
      LOG.error("activation {} could not be appended to the activations topic (fleet sync will not see it): {}",
          activationId, t.toString());
      return Future.succeededFuture();
    });
  }
}
