package io.edgewhisk.api;

import io.edgewhisk.model.WhiskException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process-wide budget for request bodies in memory: what is being received, and what reading its
 * JSON builds. Every API verticle takes from the one budget, so the sum over all connections is bounded
 * however many large requests arrive at once; a request that finds it spent answers 503. It also notes
 * when a burst of large requests is over, so that the heap they grew can be given back.
 */
public final class RequestMemory {
  /** Bytes taken since memory was last given back that make giving it back worth a collection. */
  static final long RETURN_AFTER_BYTES = 16L * 1024 * 1024;
  /** At most one collection this often: a steady stream of large requests is not a burst to clean up after. */
  static final long RETURN_INTERVAL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
  private final long capacity;
  private final AtomicLong inUse = new AtomicLong();
  private final AtomicLong takenSinceReturn = new AtomicLong();
  private final AtomicLong lastReturn = new AtomicLong(System.nanoTime() - RETURN_INTERVAL_NANOS);

  public RequestMemory(long capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
  }

  /** Takes {@code bytes}, or fails with 503 when the budget cannot hold them. */
  void take(long bytes) {
    long now;
    do {
      now = inUse.get();
      if (now + bytes > capacity) {
        throw WhiskException.unavailable("The server is busy receiving other large requests; retry later.");
      }
    } while (!inUse.compareAndSet(now, now + bytes));
    takenSinceReturn.addAndGet(bytes);
  }

  void give(long bytes) {
    inUse.addAndGet(-bytes);
  }

  long inUse() {
    return inUse.get();
  }

  long capacity() {
    return capacity;
  }

  /**
   * True once per burst: when no request holds memory any more, large ones held some since the last
   * time this answered true, and that was long enough ago.
   */
  boolean burstOver() {
    long now = System.nanoTime();
    long last = lastReturn.get();
    if (inUse.get() != 0 || now - last < RETURN_INTERVAL_NANOS) {
      return false;
    }
    long taken = takenSinceReturn.get();
    return taken >= RETURN_AFTER_BYTES && lastReturn.compareAndSet(last, now) && takenSinceReturn.compareAndSet(taken, 0);
  }
}
