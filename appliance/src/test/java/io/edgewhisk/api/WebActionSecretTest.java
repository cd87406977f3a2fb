package io.edgewhisk.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.model.Action;
import io.edgewhisk.model.ActionLimits;
import io.edgewhisk.model.Exec;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.SemVer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@code require-whisk-auth} with a secret: compared in constant time, so that how long a refusal
 * takes does not tell an anonymous caller how much of the secret it guessed right.
 */
class WebActionSecretTest {
  private static WebAction withSecret(String secret) {
    Identity owner = new Identity("guest", "guest", "u", "k", new io.edgewhisk.model.NamespaceLimits(60, 30, 60, null, true));
    Action action = new Action(FullyQualifiedName.of("guest", "secret"), SemVer.INITIAL, false,
        new Exec.Code("nodejs:18", "x", false, null, null), KeyValues.EMPTY,
        KeyValues.EMPTY.with("web-export", true).with(WebAction.REQUIRE_WHISK_AUTH, secret), ActionLimits.DEFAULT, 0);
    return new WebAction(owner, action.fqn(), action, KeyValues.EMPTY);
  }

  @Test
  void theSecretMustMatchExactly() {
    WebAction a = withSecret("s3cr3t");
    assertTrue(a.admits(null, "s3cr3t"));
    assertFalse(a.admits(null, "s3cr3T"));
    assertFalse(a.admits(null, "s3cr3"));
    assertFalse(a.admits(null, "s3cr3tt"));
    assertFalse(a.admits(null, null));
  }

  /**
   * A guess wrong in its first character and one wrong only in its last take the same time. With a
   * comparison that stops at the first difference the second takes thousands of times longer on a
   * secret this long; the bound leaves a wide margin for a busy machine.
   */
  @Test
  void aRefusalTakesAsLongWhereverTheGuessGoesWrong() {
    String secret = "k".repeat(4 * 1024 * 1024);
    WebAction a = withSecret(secret);
    String early = "x" + secret.substring(1);
    String late = secret.substring(0, secret.length() - 1) + "x";
    long[] earlyNanos = new long[41];
    long[] lateNanos = new long[41];
    for (int i = 0; i < earlyNanos.length; i++) {
      earlyNanos[i] = time(a, early);
      lateNanos[i] = time(a, late);
    }
    double ratio = (double) median(lateNanos) / median(earlyNanos);
    assertTrue(ratio < 3 && ratio > 1 / 3.0, "late mismatch / early mismatch time = " + ratio);
  }

  private static long time(WebAction a, String guess) {
    long t = System.nanoTime();
    boolean admitted = a.admits(null, guess);
    long took = System.nanoTime() - t;
    assertFalse(admitted);
    return Math.max(1, took);
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
