package io.edgewhisk.log;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file log's one writer thread, where all of its file changes happen. It takes whatever calls are
 * queued (up to the group-commit batch), writes the appends of each topic with one write, answers the
 * non-durable ones, then syncs each topic written once and answers the durable ones: every append that
 * arrived while the previous fsync ran shares the next.
 */
final class LogWriter implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);

  /** Something the writer does; consumer changes and tasks are ordered with the appends around them. */
  sealed interface Op permits Append, ConsumerChange, Task, Stop {}

  record Append(Topic topic, FileTopic.Pending pending) implements Op {}

  /** Changes a topic's consumers in memory; the writer saves them before answering. */
  record ConsumerChange(Topic topic, Function<FileTopic, Object> change, Reply<Object> reply) implements Op {}

  record Task(TopicsTask task, Reply<Object> reply) implements Op {}

  record Stop() implements Op {}

  interface TopicsTask {
    Object run() throws IOException;
  }

  /** Where the writer finds a topic, opening or creating it on the first append. */
  interface TopicSource {
    FileTopic topic(Topic topic) throws IOException;
  }

  private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
  private final TopicSource topics;
  private final Retention retention;
  private final RecordSignal signal;
  private final Clock clock;
  private final int maxBatch;
  private final long maxDelayNanos;
  private final long retentionIntervalMillis;
  private volatile boolean stopped;

  /** Applies retention; run by the writer after rolls and periodically. */
  interface Retention {
    void run() throws IOException;
  }

  LogWriter(TopicSource topics, Retention retention, RecordSignal signal, Clock clock, LogConfig config) {
    this.topics = Objects.requireNonNull(topics, "topics");
    this.retention = Objects.requireNonNull(retention, "retention");
    this.signal = Objects.requireNonNull(signal, "signal");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxBatch = config.groupCommitMaxBatch();
    this.maxDelayNanos = config.groupCommitMaxDelay().toNanos();
    this.retentionIntervalMillis = config.retentionCheckInterval().toMillis();
  }

  /** Queues an operation; answers false once the writer has stopped. */
  boolean submit(Op op) {
    if (stopped) {
      return false;
    }
    queue.add(op);
    return true;
  }

  @Override
  public void run() {
    List<Op> batch = new ArrayList<>();
    long nextRetention = System.currentTimeMillis() + retentionIntervalMillis;
    try {
      while (!stopped) {
        Op first = queue.poll(Math.max(1, nextRetention - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        boolean rolled = false;
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, maxBatch - 1);
          awaitMore(batch);
          rolled = process(batch);
          batch.clear();
        }
        if (rolled || System.currentTimeMillis() >= nextRetention) {
          runRetention();
          nextRetention = System.currentTimeMillis() + retentionIntervalMillis;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
    failRemaining(batch);
  }

  /** With a group-commit delay, a durable batch waits a little for company before its fsync. */
  private void awaitMore(List<Op> batch) throws InterruptedException {
    if (maxDelayNanos <= 0 || batch.stream().noneMatch(op -> op instanceof Append a && a.pending().durable)) {
      return;
    }
    long deadline = System.nanoTime() + maxDelayNanos;
    while (batch.size() < maxBatch) {
      Op op = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (op == null) {
        return;
      }
      batch.add(op);
      queue.drainTo(batch, maxBatch - batch.size());
    }
  }

  private void runRetention() {
    try {
      retention.run();
    } catch (IOException | RuntimeException e) {
      LOG.error("Retention of the log failed", e);
    }
  }

  /** One group commit. Answers whether a segment was rolled (retention then runs). */
  private boolean process(List<Op> batch) {
    Reply.Batch answers = new Reply.Batch();
    Map<FileTopic, List<FileTopic.Pending>> appends = new LinkedHashMap<>();
    Map<FileTopic, List<FileTopic.Pending>> durable = new LinkedHashMap<>();
    Map<FileTopic, List<Answer>> consumerAnswers = new LinkedHashMap<>();
    boolean rolled = false;
    int i = 0;
    for (; i < batch.size() && !stopped; i++) {
      Op op = batch.get(i);
      if (op instanceof Append a) {
        try {
          appends.computeIfAbsent(topics.topic(a.topic()), t -> new ArrayList<>()).add(a.pending());
        } catch (IOException | RuntimeException e) {
          answers.fail(a.pending().reply, e);
        }
      } else if (op instanceof ConsumerChange c) {
        // appends before it must be written first: a commit may name their offsets
        rolled |= write(appends, durable, answers);
        try {
          FileTopic topic = topics.topic(c.topic());
          Object answer = c.change().apply(topic);
          consumerAnswers.computeIfAbsent(topic, t -> new ArrayList<>()).add(new Answer(c.reply(), answer));
        } catch (IOException | RuntimeException e) {
          answers.fail(c.reply(), e);
        }
      } else if (op instanceof Task t) {
        rolled |= write(appends, durable, answers);
        save(consumerAnswers, answers);
        try {
          answers.succeed(t.reply(), t.task().run());
        } catch (IOException | RuntimeException e) {
          answers.fail(t.reply(), e);
        }
      } else {
        stopped = true;
      }
    }
    rolled |= write(appends, durable, answers);
    // durable appends first: an invocation waits for its fsync, a consumer's offset can wait a little
    sync(durable, answers);
    answers.dispatch();
    save(consumerAnswers, answers);
    answers.dispatch();
    if (i < batch.size()) {
      failRemaining(batch.subList(i, batch.size()));
    }
    return rolled;
  }

  private record Answer(Reply<Object> reply, Object value) {}

  /** Writes the queued appends of each topic; answers the non-durable ones once written. */
  private boolean write(Map<FileTopic, List<FileTopic.Pending>> appends,
      Map<FileTopic, List<FileTopic.Pending>> durable, Reply.Batch answers) {
    boolean rolled = false;
    long now = clock.millis();
    for (var e : appends.entrySet()) {
      FileTopic topic = e.getKey();
      try {
        rolled |= topic.write(e.getValue(), now);
        for (FileTopic.Pending p : e.getValue()) {
          if (p.durable) {
            durable.computeIfAbsent(topic, t -> new ArrayList<>()).add(p);
          } else {
            answers.succeed(p.reply, p.offset);
          }
        }
      } catch (IOException | RuntimeException ex) {
        LOG.warn("Topic {}: writing {} records failed", topic.topic(), e.getValue().size(), ex);
        e.getValue().forEach(p -> answers.fail(p.reply, ex));
      }
      signal.published(topic.topic(), topic.endOffset());
    }
    appends.clear();
    return rolled;
  }

  private void save(Map<FileTopic, List<Answer>> consumerAnswers, Reply.Batch answers) {
    for (var e : consumerAnswers.entrySet()) {
      try {
        e.getKey().consumers().save();
        e.getValue().forEach(a -> answers.succeed(a.reply(), a.value()));
      } catch (IOException | RuntimeException ex) {
        LOG.warn("Topic {}: saving consumer offsets failed", e.getKey().topic(), ex);
        e.getKey().consumers().revert();
        e.getValue().forEach(a -> answers.fail(a.reply(), ex));
      }
    }
    consumerAnswers.clear();
  }

  private void sync(Map<FileTopic, List<FileTopic.Pending>> durable, Reply.Batch answers) {
    for (var e : durable.entrySet()) {
      try {
        e.getKey().sync();
        e.getValue().forEach(p -> answers.succeed(p.reply, p.offset));
      } catch (IOException | RuntimeException ex) {
        e.getValue().forEach(p -> answers.fail(p.reply, ex));
      }
    }
  }

  /** Fails whatever was queued after the writer stopped. */
  void failQueued() {
    failRemaining(List.of());
  }

  private void failRemaining(List<Op> ops) {
    List<Op> rest = new ArrayList<>(ops);
    queue.drainTo(rest);
    Reply.Batch answers = new Reply.Batch();
    IllegalStateException closed = new IllegalStateException("the log is closed");
    for (Op op : rest) {
      if (op instanceof Append a) {
        answers.fail(a.pending().reply, closed);
      } else if (op instanceof ConsumerChange c) {
        answers.fail(c.reply(), closed);
      } else if (op instanceof Task t) {
        answers.fail(t.reply(), closed);
      }
    }
    answers.dispatch();
  }
}
