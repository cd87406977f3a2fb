package io.edgewhisk.log;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded log on disk: a directory per topic under {@link LogConfig#dir()}, segment files in it,
 * one writer thread ({@link LogWriter}) doing every write, fsync and deletion with group commit, and
 * reads on Vert.x worker threads. A lock file keeps a second process out of the same directory.
 */
public final class FileAppendLog implements AppendLog {
  private static final Logger LOG = LoggerFactory.getLogger(FileAppendLog.class);

  private final Vertx vertx;
  private final LogConfig config;
  private final LogFiles files;
  private final Clock clock;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Map<Topic, FileTopic> topics = new ConcurrentHashMap<>();
  private final RecordSignal signal = new RecordSignal();
  private final LogWriter writer;
  private final Thread writerThread;
  private final Subscriptions subscriptions;
  private volatile boolean closed;

  private FileAppendLog(Vertx vertx, LogConfig config, LogFiles files, Clock clock) throws IOException {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.config = Objects.requireNonNull(config, "config");
    this.files = Objects.requireNonNull(files, "files");
    this.clock = Objects.requireNonNull(clock, "clock");
    Path dir = config.dir();
    boolean created = !Files.isDirectory(dir);
    Files.createDirectories(dir);
    if (created && dir.toAbsolutePath().getParent() != null) {
      files.syncDirectory(dir.toAbsolutePath().getParent());
    }
    this.lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      this.lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lockChannel.close();
      throw new IOException("the log in " + dir + " is already open in this process");
    }
    if (lock == null) {
      lockChannel.close();
      throw new IOException("the log in " + dir + " is open in another process");
    }
    try {
      loadTopics(dir);
    } catch (IOException | RuntimeException e) {
      closeFiles();
      throw e;
    }
    this.writer = new LogWriter(this::topicForWrite, this::applyRetention, signal, clock, config);
    this.subscriptions = new Subscriptions(vertx, this, signal, config.redeliveryDelay());
    this.writerThread = new Thread(writer, "edgewhisk-log-writer");
    writerThread.setDaemon(true);
    writerThread.start();
  }

  /** Opens (recovering) or creates the log on a worker thread. */
  public static Future<AppendLog> open(Vertx vertx, LogConfig config) {
    return open(vertx, config, LogFiles.standard(), Clock.systemUTC()).map(log -> log);
  }

  static Future<FileAppendLog> open(Vertx vertx, LogConfig config, LogFiles files, Clock clock) {
    return vertx.getOrCreateContext().executeBlocking(() -> new FileAppendLog(vertx, config, files, clock), false);
  }

  private void loadTopics(Path dir) throws IOException {
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, Files::isDirectory)) {
      for (Path p : stream) {
        Topic topic = Topic.of(p.getFileName().toString());
        FileTopic t = FileTopic.open(topic, p, files, config.segmentBytes());
        topics.put(topic, t);
        signal.published(topic, t.endOffset());
      }
    }
  }

  /** The writer's access to topics: the first append to a topic creates its directory. */
  private FileTopic topicForWrite(Topic topic) throws IOException {
    FileTopic t = topics.get(topic);
    if (t == null) {
      t = FileTopic.open(topic, config.dir().resolve(topic.name()), files, config.segmentBytes());
      topics.put(topic, t);
    }
    return t;
  }

  @Override
  public Future<Long> append(Topic topic, Buffer value, boolean durable) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(value, "value");
    if (value.length() > config.maxRecordBytes()) {
      return Future.failedFuture(new IllegalArgumentException("record of " + value.length()
          + " bytes is larger than max-record-bytes " + config.maxRecordBytes()));
    }
    Reply<Long> reply = Reply.on(vertx);
    submit(new LogWriter.Append(topic, new FileTopic.Pending(value.getBytes(), durable, reply)));
    return reply.future();
  }

  @Override
  public Future<List<LogRecord>> read(Topic topic, long fromOffset, int maxRecords, int maxBytes) {
    if (maxRecords < 1 || maxBytes < 1 || fromOffset < 0) {
      return Future.failedFuture(new IllegalArgumentException("bad read of " + topic + " from " + fromOffset));
    }
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the log is closed"));
    }
    FileTopic t = topics.get(topic);
    if (t == null || fromOffset >= t.endOffset()) {
      return Future.succeededFuture(List.of());
    }
    // a consumer at the tail reads what was just written from memory, without a worker thread
    List<LogRecord> recent = t.readRecent(fromOffset, maxRecords, maxBytes);
    if (recent != null) {
      return Future.succeededFuture(recent);
    }
    return vertx.getOrCreateContext().executeBlocking(() -> t.read(fromOffset, maxRecords, maxBytes), false);
  }

  @Override
  public long endOffset(Topic topic) {
    FileTopic t = topics.get(topic);
    return t == null ? 0 : t.endOffset();
  }

  @Override
  public Future<Long> register(Topic topic, String consumer) {
    return consumerChange(topic, consumer, t -> {
      OptionalLong committed = t.consumers().get(consumer);
      if (committed.isPresent()) {
        return committed.getAsLong();
      }
      t.consumers().put(consumer, t.startOffset());
      return t.startOffset();
    });
  }

  @Override
  public Future<Long> committed(Topic topic, String consumer) {
    FileTopic t = topics.get(topic);
    OptionalLong committed = t == null ? OptionalLong.empty() : t.consumers().get(consumer);
    return committed.isPresent() ? Future.succeededFuture(committed.getAsLong())
        : Future.failedFuture(new IllegalArgumentException("no consumer " + consumer + " of topic " + topic));
  }

  @Override
  public Future<Void> commit(Topic topic, String consumer, long nextOffset) {
    return consumerChange(topic, consumer, t -> {
      if (nextOffset < 0 || nextOffset > t.endOffset()) {
        throw new IllegalArgumentException("offset " + nextOffset + " is outside topic " + topic
            + " (end " + t.endOffset() + ")");
      }
      t.consumers().put(consumer, nextOffset);
      return null;
    }).mapEmpty();
  }

  @Override
  public Future<Void> unregister(Topic topic, String consumer) {
    return consumerChange(topic, consumer, t -> {
      t.consumers().remove(consumer);
      return null;
    }).mapEmpty();
  }

  private Future<Long> consumerChange(Topic topic, String consumer, Function<FileTopic, Long> change) {
    try {
      Objects.requireNonNull(topic, "topic");
      ConsumerOffsets.checkName(consumer);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Reply<Object> reply = Reply.on(vertx);
    submit(new LogWriter.ConsumerChange(topic, change::apply, reply));
    return reply.future().map(Long.class::cast);
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
  public Future<Void> enforceRetention() {
    Reply<Object> reply = Reply.on(vertx);
    submit(new LogWriter.Task(() -> {
      applyRetention();
      return null;
    }, reply));
    return reply.future().mapEmpty();
  }

  @Override
  public Future<Void> sync(Topic topic) {
    Objects.requireNonNull(topic, "topic");
    Reply<Object> reply = Reply.on(vertx);
    // a task on the writer: the appends queued before it are written by then, so this fsync covers them
    submit(new LogWriter.Task(() -> {
      FileTopic t = topics.get(topic);
      if (t != null) {
        t.sync();
      }
      return null;
    }, reply));
    return reply.future().mapEmpty();
  }

  /** Runs on the writer thread. */
  private void applyRetention() throws IOException {
    List<RetentionPolicy.TopicState> states = new ArrayList<>();
    for (FileTopic t : topics.values()) {
      states.add(new RetentionPolicy.TopicState(t.topic(), t.segmentInfos(), t.consumers().minimum(),
          config.retentionOf(t.topic())));
    }
    for (RetentionPolicy.Deletion d : RetentionPolicy.plan(states, config.diskCapBytes(), clock.millis())) {
      FileTopic t = topics.get(d.topic());
      if (d.droppedRecords() > 0) {
        LOG.warn("Topic {}: the disk cap of {} bytes forced out segment {} with {} records not yet committed "
            + "by every consumer", d.topic(), config.diskCapBytes(), d.segment().baseOffset(), d.droppedRecords());
      }
      t.deleteOldest(d.droppedRecords());
    }
    long bytes = health().bytes();
    if (bytes > config.diskCapBytes()) {
      // only active segments are left: the cap is below (topics x segment-bytes)
      LOG.warn("The log holds {} bytes, over its disk cap of {}, and has no sealed segment left to drop",
          bytes, config.diskCapBytes());
    }
  }

  private void submit(LogWriter.Op op) {
    if (closed || !writer.submit(op)) {
      Reply.Batch answers = new Reply.Batch();
      IllegalStateException e = new IllegalStateException("the log is closed");
      if (op instanceof LogWriter.Append a) {
        answers.fail(a.pending().reply, e);
      } else if (op instanceof LogWriter.ConsumerChange c) {
        answers.fail(c.reply(), e);
      } else if (op instanceof LogWriter.Task t) {
        answers.fail(t.reply(), e);
      }
      answers.dispatch();
    }
  }

  @Override
  public LogHealth health() {
    long bytes = 0;
    long dropped = 0;
    String failure = null;
    Map<String, TopicHealth> byTopic = new HashMap<>();
    for (FileTopic t : topics.values()) {
      long topicBytes = 0;
      List<Segment> segments = t.segments();
      for (Segment s : segments) {
        topicBytes += s.sizeInBytes();
      }
      bytes += topicBytes;
      dropped += t.droppedRecords();
      if (failure == null && t.failure() != null) {
        failure = "topic " + t.topic() + ": " + t.failure();
      }
      byTopic.put(t.topic().name(), new TopicHealth(t.startOffset(), t.endOffset(), segments.size(), topicBytes,
          t.droppedRecords(), t.consumers().all()));
    }
    return new LogHealth(bytes, config.diskCapBytes(), dropped, failure, byTopic);
  }

  @Override
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    Context context = vertx.getOrCreateContext();
    return subscriptions.cancelAll().eventually(() -> {
      signal.wakeAll();
      writer.submit(new LogWriter.Stop());
      return context.executeBlocking(() -> {
        writerThread.join();
        writer.failQueued();
        closeFiles();
        return null;
      }, false);
    }).mapEmpty();
  }

  private void closeFiles() throws IOException {
    for (FileTopic t : topics.values()) {
      t.close();
    }
    if (lock != null) {
      lock.release();
    }
    lockChannel.close();
  }
}
