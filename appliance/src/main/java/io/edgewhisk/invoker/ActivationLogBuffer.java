package io.edgewhisk.invoker;

import io.edgewhisk.invoker.ContainerEngine.LogStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The output of one container, cut into activations and bounded by the logs limit. A runtime prints the
 * sentinel on stdout and on stderr after each activation; the lines of one activation are those of each
 * stream before its sentinel. Lines are formatted as they arrive (on the engine's thread, never an event
 * loop) and counted as stored: once an activation's lines pass its limit the rest are dropped, as
 * OpenWhisk's invoker stops reading, so the buffer never holds much more than the limit. Thread-safe: the
 * engine adds, the pool's context takes.
 */
final class ActivationLogBuffer {
  static final String SENTINEL = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX";
  /** Activations whose lines may wait at once: more sentinels than this (a looping action) are not cuts. */
  static final int MAX_PENDING_ACTIVATIONS = 64;

  /** One stored line as OpenWhisk stores it, {@code "<time> stdout: message"}; {@code seq} orders the streams. */
  record Line(long seq, String text) {}

  /** Why an activation's lines were cut short. */
  enum Cut { NONE, LIMIT, MEMORY }

  /** One activation's lines, as taken: merged and closed with the truncation notice when cut. */
  record Taken(List<Line> out, List<Line> err, Cut cut, long limitBytes, long memoryBytes) {
    boolean truncated() {
      return cut != Cut.NONE;
    }

    /** The stored lines in the order they were written; O(lines), so not for an event loop when large. */
    List<String> lines() {
      List<String> all = new ArrayList<>(out.size() + err.size() + 1);
      int i = 0;
      int j = 0;
      while (i < out.size() || j < err.size()) {
        boolean fromOut = j >= err.size() || (i < out.size() && out.get(i).seq() < err.get(j).seq());
        all.add(fromOut ? out.get(i++).text() : err.get(j++).text());
      }
      if (cut == Cut.LIMIT) {
        all.add(now() + " stderr: Logs were truncated because the total bytes size exceeds the limit of "
            + limitBytes + " bytes.");
      } else if (cut == Cut.MEMORY) {
        all.add(now() + " stderr: Logs were truncated because the logs of all running activations reached the"
            + " invoker's limit of " + memoryBytes + " bytes (invoker.log-memory-bytes).");
      }
      return all;
    }

    int size() {
      return out.size() + err.size();
    }
  }

  /** The lines of one activation so far, and whether each stream has ended it. */
  private static final class Segment {
    final List<Line> out = new ArrayList<>();
    final List<Line> err = new ArrayList<>();
    long bytes;
    long held;
    long limit;
    Cut cut = Cut.NONE;
    boolean outEnded;
    boolean errEnded;
  }

  private final List<Segment> segments = new ArrayList<>();
  private final LogMemory memory;
  private long limitBytes;
  private boolean discarded;
  /** Index (into {@link #segments}) of the activation each stream is printing now. */
  private int outAt;
  private int errAt;
  private long seq;
  private long storedBytes;
  private boolean sawSentinel;

  /** {@code limitBytes}: the logs limit of the activations to come, until {@link #limit} changes it. */
  ActivationLogBuffer(long limitBytes, LogMemory memory) {
    this.limitBytes = limitBytes;
    this.memory = memory;
  }

  /** The logs limit of the next activations (every activation of a container is of one action). */
  synchronized void limit(long bytes) {
    this.limitBytes = bytes;
  }

  /** Adds a line as it arrives; answers true when this line made a cut available. */
  synchronized boolean add(LogStream stream, Instant time, String text) {
    boolean out = stream == LogStream.STDOUT;
    Segment s = segment(out ? outAt : errAt);
    if (text.strip().equals(SENTINEL)) {
      sawSentinel = true;
      boolean before = hasCut();
      if (out) {
        s.outEnded = true;
        outAt = Math.min(outAt + 1, MAX_PENDING_ACTIVATIONS - 1);
      } else {
        s.errEnded = true;
        errAt = Math.min(errAt + 1, MAX_PENDING_ACTIVATIONS - 1);
      }
      return !before && hasCut();
    }
    if (s.cut != Cut.NONE || discarded) {
      return false;
    }
    String stored = LogLineTime.format(time == null ? Instant.now() : time) + (out ? " stdout: " : " stderr: ") + text;
    long size = utf8Length(stored) + 1;
    // the buffer as a whole is bounded too: concurrent activations' segments wait side by side
    if (s.bytes + size > s.limit || storedBytes + size > 2 * Math.max(s.limit, limitBytes) + 65_536) {
      s.cut = Cut.LIMIT;
      return false;
    }
    long cost = size + LogMemory.LINE_OVERHEAD;
    if (!memory.tryHold(cost)) {
      s.cut = Cut.MEMORY;
      return false;
    }
    s.held += cost;
    s.bytes += size;
    storedBytes += size;
    (out ? s.out : s.err).add(new Line(seq++, stored));
    return false;
  }

  private Segment segment(int index) {
    while (segments.size() <= index) {
      Segment s = new Segment();
      s.limit = limitBytes;
      segments.add(s);
    }
    return segments.get(index);
  }

  /** Both streams have ended the oldest activation. */
  synchronized boolean hasCut() {
    return !segments.isEmpty() && segments.get(0).outEnded && segments.get(0).errEnded;
  }

  /** Whether this container ever printed a sentinel (an image that does not is still served). */
  synchronized boolean sawSentinel() {
    return sawSentinel;
  }

  /** Bytes of the lines held now (what bounds this buffer's memory). */
  synchronized long storedBytes() {
    return storedBytes;
  }

  /**
   * Takes the lines of the oldest activation: each stream up to its sentinel, or all a stream has so
   * far when the cut is forced (a time-out, an image without sentinels). O(1): the merge is the caller's.
   */
  synchronized Taken take() {
    if (segments.isEmpty()) {
      return new Taken(List.of(), List.of(), Cut.NONE, limitBytes, memory.limit());
    }
    Segment s = segments.remove(0);
    outAt = Math.max(0, outAt - 1);
    errAt = Math.max(0, errAt - 1);
    storedBytes -= s.bytes;
    // the taken lines' memory stays held until their record is kept (LogMemory#releaseLines)
    return new Taken(s.out, s.err, s.cut, s.limit, memory.limit());
  }

  /** The container is gone: lines nobody took free their memory, and later lines are dropped. */
  synchronized void discard() {
    discarded = true;
    for (Segment s : segments) {
      memory.release(s.held);
    }
    segments.clear();
    storedBytes = 0;
    outAt = 0;
    errAt = 0;
  }

  /** The current time as log lines show it. */
  static String now() {
    return LogLineTime.format(Instant.now());
  }

  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
