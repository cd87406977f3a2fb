package io.edgewhisk.invoker;

import io.edgewhisk.invoker.ContainerEngine.LogStream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One container's stdout and stderr as they arrive, and the activations waiting for the end of their logs.
 * The engine's lines go into the (bounded, thread-safe) buffer on the engine's thread; only a completed cut
 * is handed to the pool's context, where everything else of it runs, and an activation's lines are merged
 * on a worker, so that an action printing millions of lines costs an event loop nothing per line.
 */
final class ContainerOutput implements ContainerEngine.LogListener {
  /** Fewer lines than this are merged in place: a worker hand-off would cost more. */
  private static final int SMALL = 256;
  private final ContainerProxy.Parts parts;
  private final Consumer<Throwable> onEnd;
  private final ActivationLogBuffer logs;
  /** Activations waiting for their logs' end, oldest first: concurrent ones in a container take turns. */
  private final ArrayDeque<Promise<Void>> waiters = new ArrayDeque<>();
  private boolean noSentinels;
  private boolean ended;

  /** {@code onEnd} is called on the pool's context when the stream ends (the container stopped). */
  ContainerOutput(ContainerProxy.Parts parts, Consumer<Throwable> onEnd, long limitBytes) {
    this.parts = Objects.requireNonNull(parts, "parts");
    this.onEnd = Objects.requireNonNull(onEnd, "onEnd");
    this.logs = new ActivationLogBuffer(limitBytes, parts.logMemory());
  }

  /** The container is removed: what it printed that no activation took frees its memory. */
  void discard() {
    logs.discard();
  }

  /** The logs limit of the activations about to run in this container. */
  void limit(long bytes) {
    logs.limit(bytes);
  }

  @Override
  public void onLine(LogStream stream, Instant time, String line) {
    if (logs.add(stream, time, line)) {
      parts.context().runOnContext(v -> {
        // completing a waiter takes its lines at once (same context), so the next one sees the next cut
        while (!waiters.isEmpty() && logs.hasCut()) {
          waiters.poll().tryComplete();
        }
      });
    }
  }

  @Override
  public void onEnd(Throwable failure) {
    parts.context().runOnContext(v -> {
      ended();
      onEnd.accept(failure);
    });
  }

  /** No more output will come (the container stopped or is being removed): nobody waits any longer. */
  void ended() {
    ended = true;
    for (Promise<Void> p : List.copyOf(waiters)) {
      p.tryComplete();
    }
  }

  /**
   * The logs of the activation that just answered, as stored (cut at the limit given to {@link #limit}). Waits for both
   * sentinels up to {@code log-sentinel-wait}, or only {@code log-grace} for a container that broke or is
   * known to print no sentinels; {@code concurrent} adds a line saying that other activations' lines may
   * be among these.
   */
  Future<List<String>> next(boolean broken, boolean concurrent) {
    Future<Void> cut;
    if (logs.hasCut() || ended) {
      cut = Future.succeededFuture();
    } else {
      long waitMs = broken || noSentinels ? parts.config().logGrace().toMillis() : parts.config().logSentinelWait().toMillis();
      cut = awaitCut(waitMs);
    }
    return cut.transform(ar -> {
      if (!logs.hasCut() && !logs.sawSentinel() && !broken) {
        noSentinels = true;
      }
      ActivationLogBuffer.Taken taken = logs.take();
      if (taken.size() < SMALL) {
        return Future.succeededFuture(merged(taken, concurrent));
      }
      return parts.vertx().executeBlocking(() -> merged(taken, concurrent), false);
    });
  }

  private static List<String> merged(ActivationLogBuffer.Taken taken, boolean concurrent) {
    List<String> lines = taken.lines();
    if (concurrent) {
      lines.add(ActivationLogBuffer.now() + " stderr: Other activations ran in this container at the same time;"
          + " their logs cannot be told apart from these.");
    }
    return lines;
  }

  private Future<Void> awaitCut(long waitMs) {
    Promise<Void> p = Promise.promise();
    waiters.add(p);
    long timer = parts.vertx().setTimer(Math.max(1, waitMs), id -> p.tryComplete());
    return p.future().onComplete(v -> {
      parts.vertx().cancelTimer(timer);
      waiters.remove(p);
    });
  }
}
