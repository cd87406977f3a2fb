package io.edgewhisk.log;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Wakes subscriptions when records are published, so that no consumer polls. The log reports each
 * topic's new end offset; a subscription waits for the end to pass the offset it wants next.
 */
final class RecordSignal {
  private record Waiter(long offset, Runnable wake) {}

  private final Map<Topic, Long> ends = new HashMap<>();
  private final Map<Topic, List<Waiter>> waiters = new HashMap<>();

  /** Runs {@code wake} (on the publishing thread) once {@code topic} has a record at {@code offset}. */
  void await(Topic topic, long offset, Runnable wake) {
    synchronized (this) {
      if (ends.getOrDefault(topic, 0L) <= offset) {
        waiters.computeIfAbsent(topic, t -> new ArrayList<>()).add(new Waiter(offset, wake));
        return;
      }
    }
    wake.run();
  }

  void published(Topic topic, long endOffset) {
    List<Runnable> woken = new ArrayList<>();
    synchronized (this) {
      ends.merge(topic, endOffset, Math::max);
      List<Waiter> list = waiters.get(topic);
      if (list != null) {
        for (Iterator<Waiter> it = list.iterator(); it.hasNext(); ) {
          Waiter w = it.next();
          if (w.offset < endOffset) {
            woken.add(w.wake);
            it.remove();
          }
        }
      }
    }
    woken.forEach(Runnable::run);
  }

  /** Wakes everyone (at close, so that subscriptions notice). */
  void wakeAll() {
    List<Runnable> woken = new ArrayList<>();
    synchronized (this) {
      waiters.values().forEach(list -> list.forEach(w -> woken.add(w.wake)));
      waiters.clear();
    }
    woken.forEach(Runnable::run);
  }
}
