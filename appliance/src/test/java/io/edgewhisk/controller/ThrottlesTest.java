package io.edgewhisk.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgewhisk.model.Identity;
import io.edgewhisk.model.NamespaceLimits;
import io.edgewhisk.model.WhiskException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ThrottlesTest {
  private Instant now = Instant.parse("2026-11-22T10:00:59.500Z");
  private final Clock clock = new Clock() {
    @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
  };

  private static Identity ns(String name, int perMinute, int concurrent, int fires) {
    return new Identity(name, name, "u", "k", new NamespaceLimits(perMinute, concurrent, fires, null, true));
  }

  @Test
  void the61stInvocationInAMinuteIsRefusedEvenAcrossTheClocksMinute() {
    Throttles t = new Throttles(clock);
    Identity guest = ns("guest", 60, 1000, 60);
    for (int i = 0; i < 30; i++) {
      t.admitInvocation(guest);
    }
    now = now.plusSeconds(1); // the wall-clock minute changes here; the window does not care
    for (int i = 0; i < 30; i++) {
      t.admitInvocation(guest);
    }
    WhiskException e = assertThrows(WhiskException.class, () -> t.admitInvocation(guest));
    assertEquals(429, e.status());
    assertEquals("Too many requests in the last minute (count: 61, allowed: 60).", e.getMessage());
    WhiskException again = assertThrows(WhiskException.class, () -> t.admitInvocation(guest));
    assertEquals("Too many requests in the last minute (count: 62, allowed: 60).", again.getMessage(), "refusals count");
    now = now.plusSeconds(59);
    t.admitInvocation(guest); // the first 30 have left the window
  }

  @Test
  void concurrentInvocationsAreCountedUntilReleased() {
    Throttles t = new Throttles(clock);
    Identity guest = ns("guest", 1000, 2, 60);
    t.admitInvocation(guest);
    t.admitInvocation(guest);
    WhiskException e = assertThrows(WhiskException.class, () -> t.admitInvocation(guest));
    assertEquals("Too many concurrent requests in flight (count: 3, allowed: 2).", e.getMessage());
    t.release("guest");
    t.admitInvocation(guest);
    assertEquals(2, t.inFlight("guest"));
  }

  @Test
  void refusalsAreCountedByNamespaceUnderOpenWhisksNames() {
    io.edgewhisk.telemetry.MetricRegistry metrics = new io.edgewhisk.telemetry.MetricRegistry();
    Throttles t = new Throttles(clock, metrics);
    Identity a = ns("a", 1, 1, 1);
    t.admitInvocation(a);
    assertThrows(WhiskException.class, () -> t.admitInvocation(a)); // concurrent
    t.release("a");
    assertThrows(WhiskException.class, () -> t.admitInvocation(a)); // per minute
    t.admitFire(a);
    assertThrows(WhiskException.class, () -> t.admitFire(a)); // fires per minute
    assertEquals(1, metrics.counter("openwhisk_action_limit_concurrent_total", "", "namespace").value("a"));
    assertEquals(2, metrics.counter("openwhisk_action_limit_timed_total", "", "namespace").value("a"));
    assertEquals(0, metrics.counter("openwhisk_action_limit_timed_total", "", "namespace").value("b"));
  }

  @Test
  void namespacesAndFiresAreSeparate() {
    Throttles t = new Throttles(clock);
    Identity a = ns("a", 1, 10, 2);
    Identity b = ns("b", 1, 10, 2);
    t.admitInvocation(a);
    t.admitInvocation(b);
    t.admitFire(a);
    t.admitFire(a);
    assertThrows(WhiskException.class, () -> t.admitFire(a));
    t.admitFire(b);
  }
}
