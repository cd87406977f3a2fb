package io.edgewhisk.log;

import io.netty.buffer.Unpooled;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The newest records of a topic, kept in memory as the writer publishes them, so that a consumer keeping
 * up with the tail (the invoke feed) reads what was just appended without a worker thread, a file read and
 * a CRC check per batch. A bounded ring: only records up to {@code maxRecordBytes} are kept (a larger one
 * is read from its segment), so the ring holds at most {@code slots x maxRecordBytes}. Written by the log's
 * writer thread only, read by any thread; a reader that finds a slot overwritten by a newer record, or
 * empty, answers null and the caller reads the file.
 */
final class RecentRecords {
  private final AtomicReferenceArray<LogRecord> ring;
  private final int maxRecordBytes;

  RecentRecords(int slots, int maxRecordBytes) {
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be at least 1");
    }
    this.ring = new AtomicReferenceArray<>(slots);
    this.maxRecordBytes = maxRecordBytes;
  }

  /** Keeps a record just written (writer thread, before the topic's end offset moves past it). */
  void add(long offset, long timestamp, byte[] value) {
    int slot = slot(offset);
    // wrapped, not copied: the writer's value is a private copy that nothing changes after the write
    ring.set(slot, value.length <= maxRecordBytes
        ? new LogRecord(offset, timestamp, BufferInternal.buffer(Unpooled.wrappedBuffer(value))) : null);
  }

  /**
   * The records {@code from} up to (not including) {@code end}, at most {@code maxRecords} of them and
   * {@code maxBytes} of values (the first one always), as the segment read would answer them; or null
   * when one of them is no longer (or was never) in memory.
   */
  List<LogRecord> read(long from, long end, int maxRecords, int maxBytes) {
    List<LogRecord> records = new ArrayList<>((int) Math.min(maxRecords, end - from));
    long bytes = 0;
    for (long o = from; o < end && records.size() < maxRecords; o++) {
      LogRecord r = ring.get(slot(o));
      if (r == null || r.offset() != o) {
        return null;
      }
      if (!records.isEmpty() && bytes + r.value().length() > maxBytes) {
        break;
      }
      bytes += r.value().length();
      records.add(r);
    }
    return records;
  }

  private int slot(long offset) {
    return (int) (offset % ring.length());
  }
}
