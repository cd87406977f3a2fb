package io.edgewhisk.mqtt.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesUpToTheCapWithJitterOfHalfAndStartsAgainAfterAConnection() {
    Backoff top = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), () -> 0.999999);
    Backoff bottom = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), () -> 0.0);
    long[] highs = new long[6];
    for (int i = 0; i < 6; i++) {
      highs[i] = top.next();
      assertEquals(Math.min(8000, 1000L << i) / 2, bottom.next());
    }
    assertArrayEquals(new long[] {999, 1999, 3999, 7999, 7999, 7999}, highs);
    top.reset();
    assertTrue(top.next() < 1000);
  }
}
