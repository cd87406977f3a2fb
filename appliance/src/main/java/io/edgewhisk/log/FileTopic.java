package io.edgewhisk.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One topic of the file log: a directory of segment files named by their first offset, and the
 * consumers' committed offsets. Writes, rolls, syncs and deletions happen on the log's writer thread
 * only; reads may run on any thread at the same time.
 */
final class FileTopic {
  private static final Logger LOG = LoggerFactory.getLogger(FileTopic.class);

  /** A record to write; {@code offset} is known once written. */
  static final class Pending {
    /** A copy taken by the caller's thread, so that the caller may reuse its buffer at once. */
    final byte[] value;
    final boolean durable;
    final Reply<Long> reply;
    long offset;

    Pending(byte[] value, boolean durable, Reply<Long> reply) {
      this.value = value;
      this.durable = durable;
      this.reply = reply;
    }
  }

  private final Topic topic;
  private final Path dir;
  private final LogFiles files;
  private final long segmentBytes;
  private final ConsumerOffsets consumers;
  /**
   * The newest records, for consumers at the tail: 256 slots of records up to 4 KiB (an invocation
   * of a small payload, an activation record with a few log lines) bound it to 1 MiB a topic.
   */
  private final RecentRecords recent = new RecentRecords(256, 4096);
  /** Oldest first; the last is the active segment. Replaced whole, so readers take a snapshot. */
  private volatile List<Segment> segments;
  private volatile long endOffset;
  private volatile IOException failure;
  private volatile long droppedRecords;
  private volatile boolean closed;

  private FileTopic(Topic topic, Path dir, LogFiles files, long segmentBytes, List<Segment> segments,
      ConsumerOffsets consumers) {
    this.topic = topic;
    this.dir = dir;
    this.files = files;
    this.segmentBytes = segmentBytes;
    this.segments = List.copyOf(segments);
    this.consumers = consumers;
    Segment last = segments.get(segments.size() - 1);
    this.endOffset = last.baseOffset() + last.count();
  }

  /** Opens an existing topic directory, recovering its tail, or creates it. */
  static FileTopic open(Topic topic, Path dir, LogFiles files, long segmentBytes) throws IOException {
    Objects.requireNonNull(topic, "topic");
    boolean created = !Files.isDirectory(dir);
    Files.createDirectories(dir);
    if (created) {
      files.syncDirectory(dir.getParent());
    }
    List<Long> bases = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.seg")) {
      for (Path p : stream) {
        String name = p.getFileName().toString();
        bases.add(Long.parseLong(name.substring(0, name.length() - 4)));
      }
    }
    bases.sort(null);
    List<Segment> segments = new ArrayList<>();
    for (int i = 0; i < bases.size() - 1; i++) {
      Path p = dir.resolve(Segment.fileName(bases.get(i)));
      segments.add(Segment.sealed(p, files.open(p), bases.get(i), Files.getLastModifiedTime(p).toMillis()));
    }
    Segment tail = recoverTail(topic, dir, files, bases, segments);
    segments.add(tail);
    ConsumerOffsets consumers = new ConsumerOffsets(dir, files);
    consumers.load();
    FileTopic fileTopic = new FileTopic(topic, dir, files, segmentBytes, segments, consumers);
    fileTopic.clampConsumers();
    return fileTopic;
  }

  /**
   * Recovers the last segment. A tail left empty by a crash just after a roll is removed and the one
   * before it becomes the tail again, so that an empty file never hides a torn record before it.
   */
  private static Segment recoverTail(Topic topic, Path dir, LogFiles files, List<Long> bases,
      List<Segment> sealed) throws IOException {
    long[] cut = new long[1];
    if (bases.isEmpty()) {
      Path p = dir.resolve(Segment.fileName(0));
      Segment s = Segment.create(p, files.open(p), 0);
      files.syncDirectory(dir);
      return s;
    }
    long base = bases.get(bases.size() - 1);
    Path p = dir.resolve(Segment.fileName(base));
    Segment tail = Segment.recover(p, files.open(p), base, cut);
    report(topic, p, cut[0]);
    while (tail.count() == 0 && !sealed.isEmpty()) {
      tail.file().close();
      Files.delete(tail.path());
      files.syncDirectory(dir);
      Segment previous = sealed.remove(sealed.size() - 1);
      previous.file().close();
      tail = Segment.recover(previous.path(), files.open(previous.path()), previous.baseOffset(), cut);
      report(topic, previous.path(), cut[0]);
    }
    return tail;
  }

  private static void report(Topic topic, Path path, long cut) {
    if (cut > 0) {
      LOG.warn("Topic {}: cut {} bytes of torn or corrupt records at the end of {}", topic, cut, path);
    }
  }

  /**
   * A consumer may have committed records that were written but not yet durable when the process
   * died; those offsets will be handed out again, so its offset moves back to the end, or the new
   * records would be skipped.
   */
  private void clampConsumers() throws IOException {
    boolean changed = false;
    for (var e : consumers.all().entrySet()) {
      if (e.getValue() > endOffset) {
        LOG.warn("Topic {}: consumer {} had committed {} but the log ends at {}", topic, e.getKey(),
            e.getValue(), endOffset);
        consumers.put(e.getKey(), endOffset);
        changed = true;
      }
    }
    if (changed) {
      consumers.save();
    }
  }

  Topic topic() {
    return topic;
  }

  ConsumerOffsets consumers() {
    return consumers;
  }

  long endOffset() {
    return endOffset;
  }

  long startOffset() {
    return segments.get(0).baseOffset();
  }

  IOException failure() {
    return failure;
  }

  long droppedRecords() {
    return droppedRecords;
  }

  List<Segment> segments() {
    return segments;
  }

  /**
   * Writes the records to the operating system (no fsync), rolling segments as they fill, and
   * publishes them to readers. On an I/O error the active segment is cut back to its last whole record
   * and the error is thrown: none of the batch's records from the failed segment on are published.
   * Answers whether a segment was rolled.
   */
  boolean write(List<Pending> batch, long timestamp) throws IOException {
    if (failure != null) {
      throw failure;
    }
    boolean rolled = false;
    int i = 0;
    while (i < batch.size()) {
      Segment active = segments.get(segments.size() - 1);
      long start = active.positionOf(active.baseOffset() + active.count());
      if (active.count() > 0 && start + RecordFormat.sizeOf(batch.get(i).value.length) > segmentBytes) {
        roll(active);
        rolled = true;
        continue;
      }
      int n = 0;
      long size = 0;
      while (i + n < batch.size()
          && (n == 0 && active.count() == 0 || start + size + RecordFormat.sizeOf(batch.get(i + n).value.length) <= segmentBytes)) {
        size += RecordFormat.sizeOf(batch.get(i + n).value.length);
        n++;
      }
      writeChunk(active, batch.subList(i, i + n), start, size, timestamp);
      i += n;
    }
    return rolled;
  }

  private void writeChunk(Segment active, List<Pending> chunk, long start, long size, long timestamp)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate((int) size);
    long[] starts = new long[chunk.size()];
    long offset = endOffset;
    for (int k = 0; k < chunk.size(); k++) {
      starts[k] = start + buf.position();
      chunk.get(k).offset = offset + k;
      RecordFormat.write(buf, offset + k, timestamp, chunk.get(k).value);
    }
    buf.flip();
    try {
      active.file().writeFully(buf, start);
    } catch (IOException e) {
      cutBack(active, start, e);
      throw e;
    }
    active.publish(starts, chunk.size(), start + size, timestamp);
    for (int k = 0; k < chunk.size(); k++) {
      recent.add(offset + k, timestamp, chunk.get(k).value);
    }
    endOffset = offset + chunk.size();
  }

  /** Cuts a failed write off; if even that fails, the topic takes no more appends until reopened. */
  private void cutBack(Segment active, long goodSize, IOException cause) {
    try {
      active.file().truncate(goodSize);
    } catch (IOException e) {
      cause.addSuppressed(e);
      failure = cause;
      LOG.error("Topic {}: cannot cut a failed write off {}; no appends until reopened", topic, active.path(), e);
    }
  }

  /** Seals the active segment (synced, so that it is whole on disk) and starts the next one. */
  private void roll(Segment active) throws IOException {
    sync();
    long base = active.baseOffset() + active.count();
    Path p = dir.resolve(Segment.fileName(base));
    Segment next = Segment.create(p, files.open(p), base);
    try {
      files.syncDirectory(dir);
    } catch (IOException e) {
      next.file().close();
      Files.deleteIfExists(p);
      throw e;
    }
    List<Segment> list = new ArrayList<>(segments);
    list.add(next);
    segments = List.copyOf(list);
  }

  /**
   * Forces the active segment to disk. A failed fsync leaves the kernel's state of the file unknown
   * (the dirty pages may be dropped), so the topic takes no more appends until the log is reopened
   * and recovery has checked what is really there.
   */
  void sync() throws IOException {
    if (failure != null) {
      throw failure;
    }
    try {
      segments.get(segments.size() - 1).file().force();
    } catch (IOException e) {
      failure = e;
      LOG.error("Topic {}: fsync failed; no appends until reopened", topic, e);
      throw e;
    }
  }

  /** Deletes the oldest segment (retention); {@code dropped} counts records no consumer had committed. */
  void deleteOldest(long dropped) throws IOException {
    List<Segment> list = new ArrayList<>(segments);
    Segment oldest = list.remove(0);
    segments = List.copyOf(list);
    droppedRecords += dropped;
    oldest.markDeleted();
    oldest.file().close();
    Files.deleteIfExists(oldest.path());
  }

  List<RetentionPolicy.SegmentInfo> segmentInfos() {
    List<Segment> list = segments;
    List<RetentionPolicy.SegmentInfo> infos = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Segment s = list.get(i);
      long end = i + 1 < list.size() ? list.get(i + 1).baseOffset() : s.baseOffset() + s.count();
      infos.add(new RetentionPolicy.SegmentInfo(s.baseOffset(), end, s.sizeInBytes(), s.maxTimestamp()));
    }
    return infos;
  }

  /**
   * Published records still in memory (any thread): what {@link #read} would answer, or null when one
   * of them has to be read from its segment.
   */
  List<LogRecord> readRecent(long from, int maxRecords, int maxBytes) {
    long end = endOffset;
    if (from >= end || from < startOffset()) {
      return null;
    }
    return recent.read(from, end, maxRecords, maxBytes);
  }

  /** Reads published records (any thread). Retries when retention deleted the segment meanwhile. */
  List<LogRecord> read(long from, int maxRecords, int maxBytes) throws IOException {
    while (true) {
      try {
        return readOnce(from, maxRecords, maxBytes);
      } catch (ClosedChannelException e) {
        if (closed) {
          throw e;
        }
        // retention closed a segment under the read: read again from the new start
      }
    }
  }

  private List<LogRecord> readOnce(long from, int maxRecords, int maxBytes) throws IOException {
    // the end first: the writer publishes a roll before the records in the new segment, so this
    // snapshot of the segments holds every offset below the end
    long end = endOffset;
    List<Segment> list = segments;
    long offset = Math.max(from, list.get(0).baseOffset());
    List<LogRecord> records = new ArrayList<>();
    long bytes = 0;
    for (int i = 0; i < list.size() && offset < end && records.size() < maxRecords; i++) {
      Segment s = list.get(i);
      long segmentEnd = i + 1 < list.size() ? list.get(i + 1).baseOffset() : end;
      if (offset >= segmentEnd) {
        continue;
      }
      s.ensureIndexed();
      long last = offset;
      long first = s.positionOf(offset);
      // take whole records while they fit; the first one always
      while (last < segmentEnd && records.size() + (last - offset) < maxRecords) {
        long recordBytes = s.positionOf(last + 1) - s.positionOf(last) - RecordFormat.HEADER;
        if (records.size() + (last - offset) > 0 && bytes + recordBytes > maxBytes) {
          break;
        }
        bytes += recordBytes;
        last++;
      }
      if (last == offset) {
        break;
      }
      ByteBuffer buf = ByteBuffer.allocate((int) (s.positionOf(last) - first));
      s.file().readFully(buf, first);
      buf.flip();
      for (long o = offset; o < last; o++) {
        LogRecord r = RecordFormat.decode(buf, (int) (s.positionOf(o) - first), o);
        if (r == null) {
          throw new IOException("corrupt record " + o + " in " + s.path());
        }
        records.add(r);
      }
      offset = last;
      if (last < segmentEnd) {
        break;
      }
    }
    return records;
  }

  void close() throws IOException {
    closed = true;
    for (Segment s : segments) {
      s.file().close();
    }
  }
}
