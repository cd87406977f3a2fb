package io.edgewhisk.controller;

import io.edgewhisk.model.Identity;
import io.edgewhisk.model.WhiskException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OpenWhisk's per-namespace throttles on activation: invocations per minute and concurrent invocations
 * for actions, fires per minute for triggers. The minute is a sliding window of one-second buckets, so
 * that the 61st request within any 60 seconds is refused whatever the clock's minute says.
 */
public final class Throttles {
  private final Clock clock;
  private final Map<String, Window> invocations = new ConcurrentHashMap<>();
  private final Map<String, Window> fires = new ConcurrentHashMap<>();
  private final Map<String, int[]> inFlight = new ConcurrentHashMap<>();

  private final io.edgewhisk.telemetry.Metric.Counter refusedConcurrent;
  private final io.edgewhisk.telemetry.Metric.Counter refusedTimed;

  public Throttles(Clock clock) {
    this(clock, new io.edgewhisk.telemetry.MetricRegistry());
  }

  /** With refusals counted under OpenWhisk's names, by namespace. */
  public Throttles(Clock clock, io.edgewhisk.telemetry.MetricRegistry metrics) {
    this.clock = Objects.requireNonNull(clock, "clock");
    refusedConcurrent = metrics.counter("openwhisk_action_limit_concurrent_total",
        "invocations refused (429) by the namespace's concurrent invocations limit", "namespace");
    refusedTimed = metrics.counter("openwhisk_action_limit_timed_total",
        "invocations and trigger fires refused (429) by the namespace's per-minute limits", "namespace");
  }

  /**
   * Admits one invocation or fails with OpenWhisk's 429. The caller must {@link #release} the namespace
   * once the activation has finished.
   */
  public void admitInvocation(Identity who) {
    int[] running = inFlight.computeIfAbsent(who.namespace(), k -> new int[1]);
    int maxConcurrent = who.limits().concurrentInvocations();
    synchronized (running) {
      if (running[0] >= maxConcurrent) {
        refusedConcurrent.add(1, who.namespace());
        throw WhiskException.tooManyConcurrent(running[0] + 1L, maxConcurrent);
      }
      timed(who, invocations, who.limits().invocationsPerMinute());
      running[0]++;
    }
  }

  /** One activation of the namespace finished. */
  public void release(String namespace) {
    int[] running = inFlight.get(namespace);
    if (running != null) {
      synchronized (running) {
        if (running[0] > 0) {
          running[0]--;
        }
      }
    }
  }

  /** Admits one trigger fire or fails with OpenWhisk's 429. */
  public void admitFire(Identity who) {
    timed(who, fires, who.limits().firesPerMinute());
  }

  private void timed(Identity who, Map<String, Window> windows, int perMinute) {
    try {
      windows.computeIfAbsent(who.namespace(), k -> new Window()).admit(clock.millis(), perMinute);
    } catch (WhiskException e) {
      refusedTimed.add(1, who.namespace());
      throw e;
    }
  }

  /** How many of the namespace's activations are in flight. */
  public int inFlight(String namespace) {
    int[] running = inFlight.get(namespace);
    if (running == null) {
      return 0;
    }
    synchronized (running) {
      return running[0];
    }
  }

  /** Counts of the last 60 seconds in one-second buckets. */
  private static final class Window {
    private final int[] counts = new int[60];
    private final long[] seconds = new long[60];

    synchronized void admit(long nowMillis, int allowed) {
      long now = nowMillis / 1000;
      int total = 0;
      for (int i = 0; i < 60; i++) {
        if (now - seconds[i] < 60) {
          total += counts[i];
        }
      }
      // like OpenWhisk's rate throttler, a refused request counts too: a client that keeps retrying
      // stays refused until it slows down
      int slot = (int) (now % 60);
      if (seconds[slot] != now) {
        seconds[slot] = now;
        counts[slot] = 0;
      }
      counts[slot]++;
      if (total >= allowed) {
        throw WhiskException.tooManyPerMinute(total + 1L, allowed);
      }
    }
  }
}
