package io.edgewhisk.mqtt.bridge;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: {@code min}, doubling per failed attempt up to {@code max}, each one drawn at random between
 * half of it and all of it, so that gateways that lost the same broker do not all come back at the same moment.
 */
public final class Backoff {
  private final long minMillis;
  private final long maxMillis;
  private final DoubleSupplier random;
  private int attempts;

  public Backoff(Duration min, Duration max, DoubleSupplier random) {
    this.minMillis = Math.max(1, min.toMillis());
    this.maxMillis = Math.max(minMillis, max.toMillis());
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The delay before the next attempt, in milliseconds. */
  public long next() {
    long base = maxMillis;
    if (attempts < 62 && minMillis << Math.min(attempts, 40) > 0) {
      base = Math.min(maxMillis, minMillis << Math.min(attempts, 40));
    }
    attempts++;
    return base / 2 + (long) (random.getAsDouble() * (base - base / 2));
  }

  /** After a successful connection: the next failure starts from {@code min} again. */
  public void reset() {
    attempts = 0;
  }
}
