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
 * <p>A rule's invocation (a trigger fired by a sensor, an alarm or the API) starts early too, but only while
 * the feed has room for it and nothing of the topic waits ({@link #startIfRoom}): then the feed would have
 * started it the moment it read the record, and starting it now saves a sensor's action the two hand-offs.
 * Once a backlog forms, the feed keeps its window and its order. The fire is still accepted only once the
 * record is durable; one whose record cannot be appended is refused like any other, and its run, already
 * going, still gets its record.
 *
 * <p>Nothing starts early before the feed has subscribed to the topic or after it stopped: the invocation
 * then waits for the feed as every non-blocking one does. Records a crash left unfinished are replayed by
 * the feed beside what starts early.
 */
public final class EarlyStarts {
  /** How the feed runs an activation to its stored record. */
  interface Starter {
    Future<Void> start(ActivationMessage message, Identity who);

    /**
     * Whether the feed could run one more activation now, besides the {@code unclaimed} ones started early
     * whose records it has not read: nothing of the topic waits for it and it runs fewer than its window.
     */
    boolean hasRoomBeside(int unclaimed);
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

  /**
   * Like {@link #start}, but only if the feed is idle enough to have run it at once anyway (nothing waiting
   * on the topic, room in its window counting those started early): for a rule's invocation, whose order and
   * pace are the feed's to keep once a backlog forms.
   */
  boolean startIfRoom(ActivationMessage message, Identity who) {
    Starter s = starter;
    return s != null && s.hasRoomBeside(started.size()) && start(message, who);
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
