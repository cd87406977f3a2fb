package io.edgewhisk.controller;

import java.util.function.LongSupplier;

/**
 * Whether the API is taking in a burst of non-blocking invocations, and how many activations the
 * {@link InvokeFeed} may run meanwhile. Sensors fire in bursts and a gateway has two cores: while the
 * accepts (each answered 202 only once durable) arrive faster than {@code accept-rate}, the backlog's
 * activations (their containers, Podman's service, the recorder) would take the cores the accepts
 * need, so the feed runs at most {@code max-running} at a time; once the burst has passed it runs the
 * backlog at full speed. A namespace's concurrent-invocations throttle still bounds the backlog.
 *
 * <p>Accepts are counted in windows of 100 ms: a window that reaches the rate starts a burst or
 * keeps it going, and the burst is over once half a second has passed without one (a shorter pause, a
 * stall of the machine or a collection, would let the whole backlog loose in the middle of a burst).
 * Called from the API's event loops and read by the feed's, hence synchronized (uncontended, a few
 * nanoseconds per accept).
 */
public final class AcceptBurst {
  /** Never in a burst: the feed always runs at full speed. */
  public static final AcceptBurst NONE = new AcceptBurst(Integer.MAX_VALUE, Integer.MAX_VALUE, 1);
  static final long WINDOW_NANOS = 100_000_000L;
  /** How long without a window at the rate ends a burst. */
  static final long QUIET_NANOS = 5 * WINDOW_NANOS;
  private static final long NOT_IN_A_BURST = Long.MIN_VALUE;

  private final int perWindow;
  private final int burstMaxRunning;
  private final long windowNanos;
  private final long maxBurstNanos;
  private final LongSupplier nanoClock;
  private long windowStart;
  private int inWindow;
  private long lastAtRate;
  private long burstSince = NOT_IN_A_BURST;

  /**
   * @param acceptsPerSecond the accept rate from which on the API is taken to be in a burst
   * @param burstMaxRunning activations the feed may run at once during a burst (at least one, so that
   *     the backlog keeps moving and a finishing activation notices the end of the burst)
   * @param maxBurstMillis how long the feed gives way at most: accepts that go on longer at that rate are
   *     a stream, not a burst, and the backlog they leave must run at full speed before it fills up
   */
  public AcceptBurst(int acceptsPerSecond, int burstMaxRunning, long maxBurstMillis) {
    this(acceptsPerSecond, burstMaxRunning, maxBurstMillis, WINDOW_NANOS, System::nanoTime);
  }

  AcceptBurst(int acceptsPerSecond, int burstMaxRunning, long maxBurstMillis, long windowNanos, LongSupplier nanoClock) {
    if (acceptsPerSecond < 1 || burstMaxRunning < 1 || maxBurstMillis < 1 || windowNanos < 1) {
      throw new IllegalArgumentException("accept rate, running activations, burst length and window must be positive");
    }
    this.maxBurstNanos = maxBurstMillis * 1_000_000L;
    this.perWindow = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (long) acceptsPerSecond * windowNanos / 1_000_000_000L));
    this.burstMaxRunning = burstMaxRunning;
    this.windowNanos = windowNanos;
    this.nanoClock = nanoClock;
    this.windowStart = nanoClock.getAsLong();
  }

  /** A non-blocking invocation was accepted (durably). */
  public synchronized void accepted() {
    long now = nanoClock.getAsLong();
    if (now - windowStart >= windowNanos) {
      windowStart = now - (now - windowStart) % windowNanos;
      inWindow = 0;
    }
    if (++inWindow >= perWindow) {
      if (burstSince == NOT_IN_A_BURST || now - lastAtRate >= QUIET_NANOS) {
        burstSince = now;
      }
      lastAtRate = now;
    }
  }

  /** Whether accepts arrive at the burst rate now, and have done so for less than the longest burst. */
  public synchronized boolean on() {
    long now = nanoClock.getAsLong();
    if (burstSince == NOT_IN_A_BURST || now - lastAtRate >= QUIET_NANOS) {
      burstSince = NOT_IN_A_BURST;
      return false;
    }
    return now - burstSince < maxBurstNanos;
  }

  /** How many activations the feed may run at once now, {@code normal} outside a burst. */
  public int maxRunning(int normal) {
    return on() ? Math.min(normal, burstMaxRunning) : normal;
  }
}
