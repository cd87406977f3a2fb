package io.edgewhisk.invoker;

import io.edgewhisk.invoker.ContainerEngine.LogStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The output of one container, cut into activations. A runtime prints the sentinel on stdout and on
 * stderr after each activation; the lines of one activation are those of each stream before its sentinel.
 * Confined to the pool's context.
 */
final class ActivationLogBuffer {
  static final String SENTINEL = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** One line; {@code text} null marks a sentinel. */
  record Line(long seq, LogStream stream, Instant time, String text) {}

  private final ArrayDeque<Line> out = new ArrayDeque<>();
  private final ArrayDeque<Line> err = new ArrayDeque<>();
  private int outSentinels;
  private int errSentinels;
  private long seq;
  private boolean sawSentinel;

  void add(LogStream stream, Instant time, String text) {
    boolean sentinel = text.strip().equals(SENTINEL);
    Line line = new Line(seq++, stream, time == null ? Instant.now() : time, sentinel ? null : text);
    if (stream == LogStream.STDOUT) {
      out.add(line);
      outSentinels += sentinel ? 1 : 0;
    } else {
      err.add(line);
      errSentinels += sentinel ? 1 : 0;
    }
    sawSentinel |= sentinel;
  }

  /** Both streams have ended an activation. */
  boolean hasCut() {
    return outSentinels > 0 && errSentinels > 0;
  }

  /** Whether this container ever printed a sentinel (an image that does not is still served). */
  boolean sawSentinel() {
    return sawSentinel;
  }

  /**
   * Takes the lines of the next activation: each stream up to its first sentinel, or all of a stream
   * that has none (when the cut is forced by a time-out or an image without sentinels).
   */
  List<Line> take() {
    List<Line> lines = new ArrayList<>();
    outSentinels -= takeUpToSentinel(out, lines);
    errSentinels -= takeUpToSentinel(err, lines);
    lines.sort(Comparator.comparingLong(Line::seq));
    return lines;
  }

  private static int takeUpToSentinel(ArrayDeque<Line> stream, List<Line> into) {
    while (!stream.isEmpty()) {
      Line l = stream.poll();
      if (l.text() == null) {
        return 1;
      }
      into.add(l);
    }
    return 0;
  }

  /** The current time as log lines show it. */
  static String now() {
    return TIME.format(Instant.now());
  }

  /**
   * Lines as OpenWhisk stores them, {@code "<time> stdout: message"}, cut once their messages exceed
   * {@code limitBytes} with OpenWhisk's closing line.
   */
  static List<String> format(List<Line> lines, long limitBytes) {
    List<String> result = new ArrayList<>(lines.size());
    long total = 0;
    for (Line l : lines) {
      String message = l.text();
      total += message.getBytes(StandardCharsets.UTF_8).length;
      if (total > limitBytes) {
        result.add(TIME.format(Instant.now()) + " stderr: "
            + "Logs were truncated because the total bytes size exceeds the limit of " + limitBytes + " bytes.");
        break;
      }
      result.add(TIME.format(l.time()) + (l.stream() == LogStream.STDOUT ? " stdout: " : " stderr: ") + message);
    }
    return result;
  }
}
