package io.edgewhisk.controller;

import java.util.TreeSet;

/**
 * Which offsets of a topic are safe to commit when records finish out of order: everything before the
 * oldest one still running.
 */
final class CompletedOffsets {
  private final TreeSet<Long> running = new TreeSet<>();
  private long next;

  CompletedOffsets(long committed) {
    this.next = committed;
  }

  synchronized void started(long offset) {
    running.add(offset);
    next = Math.max(next, offset + 1);
  }

  synchronized void finished(long offset) {
    running.remove(offset);
  }

  /** The offset to commit: every record before it has finished. */
  synchronized long committable() {
    return running.isEmpty() ? next : running.first();
  }

  synchronized int running() {
    return running.size();
  }
}
