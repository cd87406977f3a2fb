package io.edgewhisk.log;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The embedded log in memory, for fast tests of the parts that use the log: the same offsets,
 * consumers, subscriptions and retention (with segments counted in the file format's bytes), but
 * nothing survives the process and every append is "durable" at once.
 */
public final class InMemoryAppendLog implements AppendLog {
  private final LogConfig config;
  private final Clock clock;
  private final Map<Topic, MemoryTopic> topics = new HashMap<>();
  private final RecordSignal signal = new RecordSignal();
  private final Subscriptions subscriptions;
  private boolean closed;

  public InMemoryAppendLog(Vertx vertx, LogConfig config, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.subscriptions = new Subscriptions(vertx, this, signal, config.redeliveryDelay());
  }

  private static final class MemorySegment {
    final long baseOffset;
    final List<LogRecord> records = new ArrayList<>();
    long bytes;
    long maxTimestamp;

    MemorySegment(long baseOffset) {
      this.baseOffset = baseOffset;
    }
  }

  private static final class MemoryTopic {
    final List<MemorySegment> segments = new ArrayList<>(List.of(new MemorySegment(0)));
    final Map<String, Long> consumers = new TreeMap<>();
    long endOffset;
    long droppedRecords;

    MemorySegment active() {
      return segments.get(segments.size() - 1);
    }

    long startOffset() {
      return segments.get(0).baseOffset;
    }

    OptionalLong minCommitted() {
      return consumers.values().stream().mapToLong(Long::longValue).min();
    }
  }

  @Override
  public Future<Long> append(Topic topic, Buffer value, boolean durable) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(value, "value");
    if (value.length() > config.maxRecordBytes()) {
      return Future.failedFuture(new IllegalArgumentException("record of " + value.length()
          + " bytes is larger than max-record-bytes " + config.maxRecordBytes()));
    }
    long offset;
    boolean rolled = false;
    synchronized (this) {
      if (closed) {
        return Future.failedFuture(new IllegalStateException("the log is closed"));
      }
      MemoryTopic t = topics.computeIfAbsent(topic, k -> new MemoryTopic());
      int size = RecordFormat.sizeOf(value.length());
      MemorySegment active = t.active();
      if (!active.records.isEmpty() && active.bytes + size > config.segmentBytes()) {
        active = new MemorySegment(t.endOffset);
        t.segments.add(active);
        rolled = true;
      }
      long now = clock.millis();
      offset = t.endOffset++;
      active.records.add(new LogRecord(offset, now, value.copy()));
      active.bytes += size;
      active.maxTimestamp = Math.max(active.maxTimestamp, now);
      if (rolled) {
        applyRetention();
      }
    }
    signal.published(topic, offset + 1);
    return Future.succeededFuture(offset);
  }

  @Override
  public synchronized Future<List<LogRecord>> read(Topic topic, long fromOffset, int maxRecords, int maxBytes) {
    if (maxRecords < 1 || maxBytes < 1 || fromOffset < 0) {
      return Future.failedFuture(new IllegalArgumentException("bad read of " + topic + " from " + fromOffset));
    }
    MemoryTopic t = topics.get(topic);
    List<LogRecord> records = new ArrayList<>();
    if (t == null) {
      return Future.succeededFuture(records);
    }
    long bytes = 0;
    for (MemorySegment s : t.segments) {
      for (LogRecord r : s.records) {
        if (r.offset() < fromOffset) {
          continue;
        }
        if (records.size() >= maxRecords || !records.isEmpty() && bytes + r.value().length() > maxBytes) {
          return Future.succeededFuture(records);
        }
        bytes += r.value().length();
        records.add(new LogRecord(r.offset(), r.timestamp(), r.value().copy()));
      }
    }
    return Future.succeededFuture(records);
  }

  @Override
  public synchronized long endOffset(Topic topic) {
    MemoryTopic t = topics.get(topic);
    return t == null ? 0 : t.endOffset;
  }

  @Override
  public synchronized Future<Long> register(Topic topic, String consumer) {
    return consumerChange(topic, consumer, t -> t.consumers.computeIfAbsent(consumer, c -> t.startOffset()));
  }

  @Override
  public synchronized Future<Long> committed(Topic topic, String consumer) {
    MemoryTopic t = topics.get(topic);
    Long committed = t == null ? null : t.consumers.get(consumer);
    return committed != null ? Future.succeededFuture(committed)
        : Future.failedFuture(new IllegalArgumentException("no consumer " + consumer + " of topic " + topic));
  }

  @Override
  public synchronized Future<Void> commit(Topic topic, String consumer, long nextOffset) {
    return consumerChange(topic, consumer, t -> {
      if (nextOffset < 0 || nextOffset > t.endOffset) {
        throw new IllegalArgumentException("offset " + nextOffset + " is outside topic " + topic
            + " (end " + t.endOffset + ")");
      }
      t.consumers.put(consumer, nextOffset);
      return nextOffset;
    }).mapEmpty();
  }

  @Override
  public synchronized Future<Void> unregister(Topic topic, String consumer) {
    return consumerChange(topic, consumer, t -> t.consumers.remove(consumer)).mapEmpty();
  }

  private Future<Long> consumerChange(Topic topic, String consumer, Function<MemoryTopic, Long> change) {
    try {
      Objects.requireNonNull(topic, "topic");
      ConsumerOffsets.checkName(consumer);
      if (closed) {
        throw new IllegalStateException("the log is closed");
      }
      return Future.succeededFuture(change.apply(topics.computeIfAbsent(topic, k -> new MemoryTopic())));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Subscription> subscribe(Topic topic, String consumer, int maxRecords,
      Function<List<LogRecord>, Future<?>> handler) {
    return subscriptions.subscribe(topic, consumer, maxRecords, handler);
  }

  @Override
  public Future<Subscription> follow(Topic topic, long fromOffset, int maxRecords,
      Function<List<LogRecord>, Future<?>> handler) {
    return subscriptions.follow(topic, fromOffset, maxRecords, handler);
  }

  @Override
  public Future<Void> sync(Topic topic) {
    // nothing here outlives the process: written is as durable as it gets
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> enforceRetention() {
    applyRetention();
    return Future.succeededFuture();
  }

  private void applyRetention() {
    List<RetentionPolicy.TopicState> states = new ArrayList<>();
    topics.forEach((name, t) -> {
      List<RetentionPolicy.SegmentInfo> infos = new ArrayList<>();
      for (int i = 0; i < t.segments.size(); i++) {
        MemorySegment s = t.segments.get(i);
        long end = i + 1 < t.segments.size() ? t.segments.get(i + 1).baseOffset : t.endOffset;
        infos.add(new RetentionPolicy.SegmentInfo(s.baseOffset, end, s.bytes, s.maxTimestamp));
      }
      states.add(new RetentionPolicy.TopicState(name, infos, t.minCommitted(), config.retentionOf(name)));
    });
    for (RetentionPolicy.Deletion d : RetentionPolicy.plan(states, config.diskCapBytes(), clock.millis())) {
      MemoryTopic t = topics.get(d.topic());
      t.segments.remove(0);
      t.droppedRecords += d.droppedRecords();
    }
  }

  @Override
  public synchronized LogHealth health() {
    long bytes = 0;
    long dropped = 0;
    Map<String, TopicHealth> byTopic = new HashMap<>();
    for (var e : topics.entrySet()) {
      MemoryTopic t = e.getValue();
      long topicBytes = t.segments.stream().mapToLong(s -> s.bytes).sum();
      bytes += topicBytes;
      dropped += t.droppedRecords;
      byTopic.put(e.getKey().name(), new TopicHealth(t.startOffset(), t.endOffset, t.segments.size(), topicBytes,
          t.droppedRecords, t.consumers));
    }
    return new LogHealth(bytes, config.diskCapBytes(), dropped, null, byTopic);
  }

  @Override
  public Future<Void> close() {
    synchronized (this) {
      if (closed) {
        return Future.succeededFuture();
      }
    }
    return subscriptions.cancelAll().eventually(() -> {
      synchronized (this) {
        closed = true;
      }
      signal.wakeAll();
      return Future.succeededFuture();
    }).mapEmpty();
  }
}
