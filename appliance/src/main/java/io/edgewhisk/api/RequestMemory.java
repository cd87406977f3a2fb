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
  private final long capacity;
  private final AtomicLong inUse = new AtomicLong();
  private final AtomicLong takenSinceReturn = new AtomicLong();

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
   * True once per burst: when no request holds memory any more and large ones held some since the last
   * time this answered true.
   */
  boolean burstOver() {
    if (inUse.get() != 0) {
      return false;
    }
    long taken = takenSinceReturn.get();
    return taken >= RETURN_AFTER_BYTES && takenSinceReturn.compareAndSet(taken, 0);
  }
}
