package io.edgewhisk.mqtt.broker;

/**
 * The broker-wide bound on memory held by queued messages ({@code max-queue-memory}): every session's
 * queue draws from it, so many slow sessions together cannot exhaust the heap. Event-loop confined.
 */
public final class QueueBudget {
  private final long max;
  private long used;

  public QueueBudget(long max) {
    this.max = max;
  }

  boolean take(long bytes) {
    if (used + bytes > max) {
      return false;
    }
    used += bytes;
    return true;
  }

  void give(long bytes) {
    used -= bytes;
  }

  public long used() {
    return used;
  }
}
