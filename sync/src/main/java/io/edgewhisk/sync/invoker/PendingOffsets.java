package io.edgewhisk.sync.invoker;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which offsets of the invoker topic may be committed: per partition, everything before the oldest message
 * not yet answered (or after the last one taken, when all are answered). Messages run concurrently and finish in
 * any order; a commit never passes one whose answer Kafka has not acknowledged. Thread-safe: the consumer's
 * thread takes and commits, the event loop finishes.
 */
public final class PendingOffsets {
  private final Map<Integer, Partition> partitions = new HashMap<>();

  private static final class Partition {
    final TreeSet<Long> running = new TreeSet<>();
    long next = -1;
    long committed = -1;

    long committable() {
      return running.isEmpty() ? next : running.first();
    }
  }

  /** A message was taken from the topic. */
  public synchronized void started(int partition, long offset) {
    Partition p = partitions.computeIfAbsent(partition, k -> new Partition());
    p.running.add(offset);
    p.next = Math.max(p.next, offset + 1);
  }

  /** Its answer was acknowledged (or it was skipped). An offset of a forgotten partition is ignored. */
  public synchronized void finished(int partition, long offset) {
    Partition p = partitions.get(partition);
    if (p != null) {
      p.running.remove(offset);
    }
  }

  /** Per partition, the offset to commit (the next one to read), where it moved since the last commit. */
  public synchronized Map<Integer, Long> committable() {
    Map<Integer, Long> out = new HashMap<>();
    partitions.forEach((partition, p) -> {
      long c = p.committable();
      if (c > p.committed) {
        out.put(partition, c);
      }
    });
    return out;
  }

  /** The offsets were committed. */
  public synchronized void committed(Map<Integer, Long> offsets) {
    offsets.forEach((partition, offset) -> {
      Partition p = partitions.get(partition);
      if (p != null) {
        p.committed = Math.max(p.committed, offset);
      }
    });
  }

  /** The partitions were taken from this consumer: what runs of them is answered, but not committed here. */
  public synchronized void forget(Collection<Integer> gone) {
    gone.forEach(partitions::remove);
  }

  /** Messages taken and not finished. */
  public synchronized int running() {
    return partitions.values().stream().mapToInt(p -> p.running.size()).sum();
  }
}
