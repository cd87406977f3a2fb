package io.edgewhisk.sync.link;

import java.util.Random;

/**
 * How long to wait before trying a failed link again: doubling from {@code initialMs}, capped at
 * {@code maxMs}, with "equal jitter" (a random point in the upper half of the step) so that a fleet of
 * gateways does not come back at the central cluster in step. Not thread-safe: one per link.
 */
public final class Backoff {
  private final long initialMs;
  private final long maxMs;
  private final Random random;
  private long step;

  public Backoff(long initialMs, long maxMs, Random random) {
    if (initialMs <= 0 || maxMs < initialMs) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max");
    }
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.random = random;
    this.step = initialMs;
  }

  /** The next wait, in [step/2, step], never above the cap; the step then doubles up to the cap. */
  public long next() {
    long s = step;
    step = Math.min(maxMs, step * 2);
    return s / 2 + (long) (random.nextDouble() * (s - s / 2));
  }

  public void reset() {
    step = initialMs;
  }
}
