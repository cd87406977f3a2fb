package io.edgewhisk.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The burst detector on a fake clock: 1,000 accepts/s in windows of 100 ms means 100 per window. */
class AcceptBurstTest {
  private static final long WINDOW = AcceptBurst.WINDOW_NANOS;
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final AcceptBurst burst = new AcceptBurst(1000, 2, 15_000, WINDOW, now::get);

  private void accept(int n) {
    for (int i = 0; i < n; i++) {
      burst.accepted();
    }
  }

  @Test
  void belowTheRateTheFeedRunsAtFullSpeed() {
    for (int w = 0; w < 20; w++) {
      accept(99);
      assertFalse(burst.on(), "99 accepts in a window of 100 ms is below 1,000/s");
      assertEquals(4096, burst.maxRunning(4096));
      now.addAndGet(WINDOW);
    }
  }

  @Test
  void atTheRateTheFeedRunsItsBurstShareUntilHalfASecondHasPassedQuietly() {
    accept(100);
    assertTrue(burst.on());
    assertEquals(2, burst.maxRunning(4096));
    assertEquals(1, burst.maxRunning(1), "never more than the feed's own limit");
    now.addAndGet(4 * WINDOW);
    accept(10);
    assertTrue(burst.on(), "a pause of 0.4 s, a stall, does not end it");
    now.addAndGet(WINDOW);
    assertFalse(burst.on(), "0.5 s without a window at the rate: the burst is over");
    assertEquals(4096, burst.maxRunning(4096));
  }

  @Test
  void aBurstSpreadOverTwoWindowsIsSeenFromItsSecond() {
    accept(60);
    now.addAndGet(WINDOW);
    accept(60);
    assertFalse(burst.on(), "60 + 60 in two windows: neither window reached 100");
    accept(40);
    assertTrue(burst.on());
  }

  @Test
  void acceptsAtTheRateForLongerThanTheLongestBurstAreAStreamAndTheFeedRunsAtFullSpeed() {
    for (int w = 0; w < 150; w++) {
      accept(100);
      assertTrue(burst.on(), "within 15 s: window " + w);
      now.addAndGet(WINDOW);
    }
    accept(100);
    assertFalse(burst.on(), "15 s at the burst rate");
    assertEquals(4096, burst.maxRunning(4096));
    now.addAndGet(AcceptBurst.QUIET_NANOS); // a pause: what comes next is a new burst
    accept(100);
    assertTrue(burst.on());
  }

  @Test
  void aLongPauseForgetsTheLastWindow() {
    accept(100);
    now.addAndGet(10 * WINDOW);
    assertFalse(burst.on());
    accept(1);
    now.addAndGet(WINDOW);
    assertFalse(burst.on());
  }

  @Test
  void noneIsNeverInABurst() {
    for (int i = 0; i < 10_000; i++) {
      AcceptBurst.NONE.accepted();
    }
    assertFalse(AcceptBurst.NONE.on());
    assertEquals(16, AcceptBurst.NONE.maxRunning(16));
  }

  @Test
  void nonsenseSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new AcceptBurst(0, 2, 1000));
    assertThrows(IllegalArgumentException.class, () -> new AcceptBurst(1000, 0, 1000));
    assertThrows(IllegalArgumentException.class, () -> new AcceptBurst(1000, 2, 0));
  }
}
