package io.edgewhisk.invoker;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all activations' logs may take together, from the line read off a container until its
 * record is stored and appended: each activation's own logs limit is 10 MB, and without this bound a few
 * dozen activations logging at once would hold that many times over. A line that finds the budget spent
 * is dropped (its activation's logs end with a notice saying why). Thread-safe.
 */
public final class LogMemory {
  /** What a held line costs besides its bytes: its string, array and list entry. */
  static final int LINE_OVERHEAD = 64;

  private final long limit;
  private final AtomicLong held = new AtomicLong();

  public LogMemory(long limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("log-memory-bytes must be positive");
    }
    this.limit = limit;
  }

  /** What holding one stored line costs. */
  public static long sizeOf(String storedLine) {
    return ActivationLogBuffer.utf8Length(storedLine) + 1 + LINE_OVERHEAD;
  }

  /** Holds {@code bytes} more if they fit the budget. */
  boolean tryHold(long bytes) {
    while (true) {
      long now = held.get();
      if (now + bytes > limit) {
        return false;
      }
      if (held.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    held.updateAndGet(h -> Math.max(0, h - bytes));
  }

  /** The record of these logs is kept (or given up): their memory is free again. */
  public void releaseLines(List<String> logs) {
    long bytes = 0;
    for (String line : logs) {
      bytes += sizeOf(line);
    }
    release(bytes);
  }

  public long held() {
    return held.get();
  }

  public long limit() {
    return limit;
  }
}
