package io.edgewhisk.invoker;

import static io.edgewhisk.invoker.ContainerEngine.LogStream.STDERR;
import static io.edgewhisk.invoker.ContainerEngine.LogStream.STDOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivationLogBufferTest {
  private static final Instant T = Instant.parse("2026-11-22T10:00:00.123456789Z");
  private static final String S = ActivationLogBuffer.SENTINEL;

  @Test
  void cutsAtTheSentinelOfBothStreams() {
    ActivationLogBuffer b = new ActivationLogBuffer();
    b.add(STDOUT, T, "one");
    b.add(STDERR, T, "two");
    b.add(STDOUT, T, S);
    b.add(STDOUT, T, "next activation");
    assertFalse(b.hasCut(), "stderr has not ended yet");
    b.add(STDERR, T, S);
    assertTrue(b.hasCut());
    assertEquals(List.of("2026-11-22T10:00:00.123456789Z stdout: one", "2026-11-22T10:00:00.123456789Z stderr: two"),
        ActivationLogBuffer.format(b.take(), 1000));
    assertFalse(b.hasCut());
    b.add(STDERR, T, S);
    assertEquals(List.of("2026-11-22T10:00:00.123456789Z stdout: next activation"), ActivationLogBuffer.format(b.take(), 1000));
  }

  @Test
  void withoutSentinelsTakesAll() {
    ActivationLogBuffer b = new ActivationLogBuffer();
    b.add(STDERR, T, "a");
    b.add(STDOUT, T, "b");
    assertFalse(b.sawSentinel());
    assertEquals(2, b.take().size());
    assertEquals(0, b.take().size());
  }

  @Test
  void truncatesWithOpenWhisksLine() {
    ActivationLogBuffer b = new ActivationLogBuffer();
    for (int i = 0; i < 5; i++) {
      b.add(STDOUT, T, "0123456789");
    }
    List<String> lines = ActivationLogBuffer.format(b.take(), 25);
    assertEquals(3, lines.size());
    assertTrue(lines.get(2).endsWith("stderr: Logs were truncated because the total bytes size exceeds the limit of 25 bytes."));
  }

  @Test
  void aZeroLimitKeepsOnlyTheNotice() {
    ActivationLogBuffer b = new ActivationLogBuffer();
    b.add(STDOUT, T, "x");
    assertEquals(1, ActivationLogBuffer.format(b.take(), 0).size());
    assertEquals(0, ActivationLogBuffer.format(List.of(), 0).size());
  }
}
