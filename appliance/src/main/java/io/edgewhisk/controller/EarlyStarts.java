package io.edgewhisk.controller;

import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.ActivationMessage;
import io.edgewhisk.model.Identity;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Blocking invocations started as soon as they are admitted, while their record is being written to the
 * {@code invoke} topic, instead of once the {@link InvokeFeed} has read that record back: the caller's
 * action does not wait for the log's writer thread and then for the feed to be woken. The feed still reads
 * every record. One started early is not run again: the feed takes its run over ({@link #claim}) and
 * commits past its offset only once it has finished, so a crash replays it like any other record (its
 * stored record found and published again, or the activation run again).
 *
 * <p>Nothing starts early before the feed has subscribed to the topic or after it stopped: the invocation
 * then waits for the feed as every non-blocking one does. Records a crash left unfinished are replayed by
 * the feed beside what starts early.
 */
public final class EarlyStarts {
  /** How the feed runs an activation to its stored record. */
  @FunctionalInterface
  interface Starter {
    Future<Void> start(ActivationMessage message, Identity who);
  }

  private final Map<ActivationId, Future<Void>> started = new ConcurrentHashMap<>();
  private volatile Starter starter;

  /**
   * Starts the activation now if the feed runs; answers false if it did not (the feed will run it when
   * it reads the record). Call before the record is appended, so that the feed cannot read it first.
   */
  boolean start(ActivationMessage message, Identity who) {
    Starter s = starter;
    if (s == null) {
      return false;
    }
    started.put(message.activationId(), s.start(message, who));
    return true;
  }

  /** The record of an activation started early could not be appended: no feed will claim it. */
  void forget(ActivationId id) {
    started.remove(id);
  }

  /** For the feed reading a record: the run of that activation if it was started early (once), else null. */
  Future<Void> claim(ActivationId id) {
    return started.isEmpty() ? null : started.remove(id);
  }

  /** The feed runs: blocking invocations may start early from now on. */
  void attach(Starter feed) {
    starter = Objects.requireNonNull(feed, "feed");
  }

  /**
   * The feed stops: nothing more starts early, and what did is forgotten. Their records were not
   * committed, so the next start replays them.
   */
  void detach() {
    starter = null;
    started.clear();
  }

  /** Activations started early whose records the feed has not read yet. */
  int unclaimed() {
    return started.size();
  }
}
