package io.edgewhisk.sync.link;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesWithJitterAndNeverWaitsLongerThanTheCap() {
    Backoff b = new Backoff(500, 30_000, new Random(1));
    long[] steps = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
    Set<Long> seen = new HashSet<>();
    for (long step : steps) {
      long wait = b.next();
      assertTrue(wait >= step / 2 && wait <= step, wait + " not in [" + step / 2 + ", " + step + "]");
      seen.add(wait);
    }
    assertTrue(seen.size() > 5, "jittered");
    b.reset();
    assertTrue(b.next() <= 500);
    for (int i = 0; i < 1000; i++) {
      assertTrue(b.next() <= 30_000);
    }
  }

  @Test
  void twoGatewaysDoNotRetryInStep() {
    Backoff a = new Backoff(1000, 30_000, new Random(7));
    Backoff b = new Backoff(1000, 30_000, new Random(8));
    int same = 0;
    for (int i = 0; i < 20; i++) {
      if (a.next() == b.next()) {
        same++;
      }
    }
    assertTrue(same <= 2, same + " of 20 waits equal");
  }
}
