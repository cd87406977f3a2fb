package io.edgewhisk.invoker;

import static io.edgewhisk.invoker.ContainerEngine.LogStream.STDERR;
import static io.edgewhisk.invoker.ContainerEngine.LogStream.STDOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivationLogBufferTest {
  private static final Instant T = Instant.parse("2026-11-22T10:00:00.123456789Z");
  private static final String S = ActivationLogBuffer.SENTINEL;
  private static ActivationLogBuffer buffer(long limit) {
    return new ActivationLogBuffer(limit, new LogMemory(1L << 30));
  }

  private static final String NOTICE = "stderr: Logs were truncated because the total bytes size exceeds the limit of ";

  @Test
  void cutsAtTheSentinelOfBothStreams() {
    ActivationLogBuffer b = buffer(1000);
    b.add(STDOUT, T, "one");
    b.add(STDERR, T, "two");
    assertFalse(b.add(STDOUT, T, S));
    b.add(STDOUT, T, "next activation");
    assertFalse(b.hasCut(), "stderr has not ended yet");
    assertTrue(b.add(STDERR, T, S), "the second sentinel completes the cut");
    assertTrue(b.hasCut());
    assertEquals(List.of("2026-11-22T10:00:00.123456789Z stdout: one", "2026-11-22T10:00:00.123456789Z stderr: two"),
        b.take().lines());
    assertFalse(b.hasCut());
    b.add(STDERR, T, S);
    assertEquals(List.of("2026-11-22T10:00:00.123456789Z stdout: next activation"), b.take().lines());
  }

  @Test
  void withoutSentinelsTakesAll() {
    ActivationLogBuffer b = buffer(1000);
    b.add(STDERR, T, "a");
    b.add(STDOUT, T, "b");
    assertFalse(b.sawSentinel());
    assertEquals(List.of("2026-11-22T10:00:00.123456789Z stderr: a", "2026-11-22T10:00:00.123456789Z stdout: b"),
        b.take().lines());
    assertEquals(0, b.take().size());
    b.add(STDOUT, T, "c");
    assertEquals(1, b.take().size(), "lines after a forced cut belong to the next activation");
  }

  @Test
  void countsTheBytesOfTheStoredLinesWithOpenWhisksNotice() {
    ActivationLogBuffer b = buffer(100);
    // each stored line is "<30-character time> stdout: 0123456789" = 48 bytes, 49 with its newline
    for (int i = 0; i < 5; i++) {
      b.add(STDOUT, T, "0123456789");
    }
    List<String> lines = b.take().lines();
    assertEquals(3, lines.size(), "two lines fit in 100 bytes as stored, the third would not: " + lines);
    assertTrue(lines.get(2).contains(NOTICE + "100 bytes."), lines.get(2));
  }

  @Test
  void aZeroLimitKeepsOnlyTheNotice() {
    ActivationLogBuffer b = buffer(0);
    b.add(STDOUT, T, "x");
    assertEquals(1, b.take().lines().size());
    assertEquals(0, buffer(0).take().lines().size());
  }

  @Test
  void memoryStaysWithinTheLimitWhateverAnActionPrints() {
    long limit = 1024 * 1024;
    ActivationLogBuffer b = buffer(limit);
    for (int i = 0; i < 2_000_000; i++) {
      b.add(STDOUT, T, "x");
      assertTrue(b.storedBytes() <= limit, "held " + b.storedBytes() + " bytes after " + i + " lines");
    }
    b.add(STDOUT, T, S);
    b.add(STDERR, T, S);
    ActivationLogBuffer.Taken taken = b.take();
    long stored = taken.lines().stream().mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length + 1).sum();
    assertTrue(stored <= limit + 200, "stored " + stored);
    assertTrue(taken.truncated());
    assertEquals(0, b.storedBytes());
  }

  @Test
  void theNextActivationHasItsOwnLimit() {
    ActivationLogBuffer b = buffer(100);
    b.add(STDOUT, T, "first line of the first activation");
    b.add(STDOUT, T, "second line that does not fit");
    b.add(STDOUT, T, S);
    b.add(STDERR, T, S);
    b.add(STDOUT, T, "the next activation's line");
    assertEquals(2, b.take().lines().size());
    b.add(STDOUT, T, S);
    b.add(STDERR, T, S);
    List<String> next = b.take().lines();
    assertEquals(1, next.size(), next::toString);
  }

  @Test
  void sentinelsInALoopDoNotMakeEndlessActivations() {
    ActivationLogBuffer b = buffer(1000);
    for (int i = 0; i < 10_000; i++) {
      b.add(STDOUT, T, S);
      b.add(STDERR, T, S);
      b.add(STDOUT, T, "line " + i);
    }
    assertTrue(b.storedBytes() <= 2 * 1000 + 65_536, "held " + b.storedBytes());
    int taken = 0;
    while (b.hasCut()) {
      b.take();
      taken++;
    }
    assertTrue(taken <= ActivationLogBuffer.MAX_PENDING_ACTIVATIONS, "took " + taken);
  }

  @Test
  void allContainersTogetherStayWithinTheLogMemoryAndGiveItBackWhenRecorded() {
    LogMemory memory = new LogMemory(10_000);
    ActivationLogBuffer first = new ActivationLogBuffer(1_000_000, memory);
    ActivationLogBuffer second = new ActivationLogBuffer(1_000_000, memory);
    for (int i = 0; i < 1000; i++) {
      first.add(STDOUT, T, "first " + i);
      second.add(STDOUT, T, "second " + i);
    }
    assertTrue(memory.held() <= 10_000, "held " + memory.held());
    List<String> firstLogs = first.take().lines();
    List<String> secondLogs = second.take().lines();
    assertTrue(secondLogs.get(secondLogs.size() - 1).contains(
        "stderr: Logs were truncated because the logs of all running activations reached the invoker's limit of 10000 bytes"),
        secondLogs.get(secondLogs.size() - 1));
    memory.releaseLines(firstLogs);
    memory.releaseLines(secondLogs);
    assertEquals(0, memory.held(), "recorded logs give their memory back");
    first.add(STDOUT, T, "left behind by a removed container");
    assertTrue(memory.held() > 0);
    first.discard();
    assertEquals(0, memory.held());
    first.add(STDOUT, T, "after removal");
    assertEquals(0, memory.held());
  }
}
