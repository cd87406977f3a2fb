package io.edgewhisk.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * One segment file of a topic: the records from {@code baseOffset} on, back to back, and an in-memory
 * index of where each starts. Only the log's writer thread appends; readers on other threads see the
 * records published so far (the index is published after the bytes are written).
 */
final class Segment {
  private final long baseOffset;
  private final Path path;
  private final LogFile file;
  /** positions[i] is where record baseOffset+i starts; positions[count] is where the next one goes. */
  private volatile long[] positions;
  private volatile int count;
  private volatile boolean indexed;
  private volatile long maxTimestamp;
  private volatile boolean deleted;

  private Segment(long baseOffset, Path path, LogFile file, long[] positions, int count, boolean indexed,
      long maxTimestamp) {
    this.baseOffset = baseOffset;
    this.path = Objects.requireNonNull(path, "path");
    this.file = Objects.requireNonNull(file, "file");
    this.positions = positions;
    this.count = count;
    this.indexed = indexed;
    this.maxTimestamp = maxTimestamp;
  }

  static String fileName(long baseOffset) {
    return String.format("%020d.seg", baseOffset);
  }

  /** A new, empty segment (its file is created, not yet synced). */
  static Segment create(Path path, LogFile file, long baseOffset) {
    return new Segment(baseOffset, path, file, new long[64], 0, true, 0);
  }

  /** A sealed segment found on open; it is indexed when first read. */
  static Segment sealed(Path path, LogFile file, long baseOffset, long lastModified) {
    return new Segment(baseOffset, path, file, new long[1], 0, false, lastModified);
  }

  /**
   * The tail segment found on open: every intact record is kept and whatever follows the last of them
   * (a torn write, a bad CRC, garbage) is cut off. Answers the bytes cut.
   */
  static Segment recover(Path path, LogFile file, long baseOffset, long[] truncated) throws IOException {
    Scan scan = Scan.of(file, baseOffset, true);
    long size = file.size();
    truncated[0] = size - scan.end;
    if (scan.end < size) {
      file.truncate(scan.end);
      file.force();
    }
    return new Segment(baseOffset, path, file, scan.positions, scan.count, true, scan.maxTimestamp);
  }

  long baseOffset() {
    return baseOffset;
  }

  Path path() {
    return path;
  }

  LogFile file() {
    return file;
  }

  /** Records published in this segment (0 for a sealed segment not indexed yet). */
  int count() {
    return count;
  }

  long maxTimestamp() {
    return maxTimestamp;
  }

  boolean deleted() {
    return deleted;
  }

  long sizeInBytes() throws IOException {
    return indexed ? positions[count] : file.size();
  }

  /** Publishes records the writer has just written: their start positions and the end of the last. */
  void publish(long[] starts, int n, long end, long timestamp) {
    int c = count;
    long[] p = positions;
    if (c + n + 1 > p.length) {
      p = Arrays.copyOf(p, Math.max(p.length * 2, c + n + 1));
    }
    System.arraycopy(starts, 0, p, c, n);
    p[c + n] = end;
    positions = p;
    maxTimestamp = Math.max(maxTimestamp, timestamp);
    count = c + n;
  }

  /** Builds the index of a sealed segment on its first read. */
  synchronized void ensureIndexed() throws IOException {
    if (!indexed) {
      Scan scan = Scan.of(file, baseOffset, false);
      positions = scan.positions;
      count = scan.count;
      indexed = true;
    }
  }

  /** Where record {@code offset} starts ({@code offset} may be one past the last, giving the end). */
  long positionOf(long offset) {
    return positions[(int) (offset - baseOffset)];
  }

  void markDeleted() {
    deleted = true;
  }

  /** A pass over a segment's records from its start, stopping at the first that is not intact. */
  private record Scan(long[] positions, int count, long end, long maxTimestamp) {
    static Scan of(LogFile file, long baseOffset, boolean verifyCrc) throws IOException {
      long size = file.size();
      long[] positions = new long[64];
      int count = 0;
      long pos = 0;
      long maxTimestamp = 0;
      ByteBuffer buf = ByteBuffer.allocate(1 << 20);
      long bufStart = 0;
      buf.limit(0);
      while (pos + RecordFormat.HEADER <= size) {
        if (pos + RecordFormat.HEADER > bufStart + buf.limit()) {
          buf = fill(file, buf, pos, RecordFormat.HEADER);
          bufStart = pos;
        }
        int at = (int) (pos - bufStart);
        int length = buf.getInt(at);
        long recordEnd = pos + RecordFormat.HEADER + (long) length;
        if (length < 0 || recordEnd > size || buf.getLong(at + 8) != baseOffset + count) {
          break;
        }
        if (verifyCrc) {
          if (recordEnd > bufStart + buf.limit()) {
            buf = fill(file, buf, pos, RecordFormat.HEADER + length);
            bufStart = pos;
            at = 0;
          }
          if (RecordFormat.decode(buf, at, baseOffset + count) == null) {
            break;
          }
          maxTimestamp = Math.max(maxTimestamp, buf.getLong(at + 16));
        }
        if (count + 2 > positions.length) {
          positions = Arrays.copyOf(positions, positions.length * 2);
        }
        positions[count++] = pos;
        pos = recordEnd;
      }
      positions[count] = pos;
      return new Scan(positions, count, pos, maxTimestamp);
    }

    /** Reads the file from {@code from} into a buffer holding at least {@code need} bytes if it has them. */
    private static ByteBuffer fill(LogFile file, ByteBuffer buf, long from, int need) throws IOException {
      ByteBuffer b = need > buf.capacity() ? ByteBuffer.allocate(need) : buf;
      b.clear();
      file.readFully(b, from);
      b.flip();
      return b;
    }
  }
}
