package io.edgewhisk.log;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a topic to one consumer on one Vert.x context: read a batch from the committed offset, hand
 * it to the handler, commit after the handler succeeded, repeat; when there is nothing to read, wait
 * for the {@link RecordSignal}. Works on any {@link AppendLog} through its public methods.
 */
final class TopicSubscription implements Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(TopicSubscription.class);
  private static final int MAX_BATCH_BYTES = 4 << 20;

  private final AppendLog log;
  private final RecordSignal signal;
  private final Context context;
  private final Topic topic;
  private final String consumer;
  private final int maxRecords;
  private final Function<List<LogRecord>, Future<?>> handler;
  private final Duration redeliveryDelay;
  private final Runnable onEnd;
  private final Promise<Void> ended = Promise.promise();
  private volatile boolean cancelled;
  /** Whether the subscription waits for records or for a redelivery (no read or handler running). */
  private boolean waiting;
  private long next;

  TopicSubscription(AppendLog log, RecordSignal signal, Context context, Topic topic, String consumer,
      int maxRecords, Function<List<LogRecord>, Future<?>> handler, Duration redeliveryDelay, Runnable onEnd) {
    this.log = Objects.requireNonNull(log, "log");
    this.signal = Objects.requireNonNull(signal, "signal");
    this.context = Objects.requireNonNull(context, "context");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.consumer = consumer; // null: a follower, whose position is not committed
    this.handler = Objects.requireNonNull(handler, "handler");
    this.redeliveryDelay = Objects.requireNonNull(redeliveryDelay, "redeliveryDelay");
    this.onEnd = Objects.requireNonNull(onEnd, "onEnd");
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be at least 1");
    }
    this.maxRecords = maxRecords;
  }

  /** Starts from the committed offset (run on the subscription's context). */
  void start(long committed) {
    next = committed;
    poll();
  }

  @Override
  public Topic topic() {
    return topic;
  }

  @Override
  public String consumer() {
    return consumer;
  }

  @Override
  public Future<Void> cancel() {
    cancelled = true;
    // a waiting subscription ends now; a running batch ends when its commit is done
    context.runOnContext(v -> {
      if (waiting) {
        end();
      }
    });
    return ended.future();
  }

  private void poll() {
    waiting = false;
    if (cancelled) {
      end();
      return;
    }
    if (next >= log.endOffset(topic)) {
      long wanted = next;
      waiting = true;
      signal.await(topic, wanted, () -> context.runOnContext(v -> {
        if (next == wanted && waiting) {
          poll();
        }
      }));
      return;
    }
    log.read(topic, next, maxRecords, MAX_BATCH_BYTES).onComplete(read -> {
      if (cancelled) {
        end();
      } else if (read.failed()) {
        LOG.warn("Reading topic {} for consumer {} failed, retrying", topic, consumer, read.cause());
        retryLater();
      } else if (read.result().isEmpty()) {
        poll();
      } else {
        deliver(read.result());
      }
    });
  }

  private void deliver(List<LogRecord> batch) {
    if (cancelled) {
      end();
      return;
    }
    Future<?> handled;
    try {
      handled = Objects.requireNonNull(handler.apply(batch), "handler answered null");
    } catch (RuntimeException e) {
      handled = Future.failedFuture(e);
    }
    long after = batch.get(batch.size() - 1).offset() + 1;
    handled.compose(v -> consumer == null ? Future.succeededFuture() : log.commit(topic, consumer, after)).onComplete(done -> {
      if (done.succeeded()) {
        next = after;
        // a new task, not a nested call: a log answering at once must not grow the stack batch by batch
        context.runOnContext(v -> poll());
      } else {
        LOG.warn("Consumer {} of topic {} failed a batch at offset {}, redelivering", consumer, topic,
            batch.get(0).offset(), done.cause());
        retryLater();
      }
    });
  }

  private void retryLater() {
    if (cancelled) {
      end();
    } else {
      waiting = true;
      context.owner().setTimer(Math.max(1, redeliveryDelay.toMillis()), id -> context.runOnContext(v -> {
        if (waiting) {
          poll();
        }
      }));
    }
  }

  private void end() {
    if (!ended.future().isComplete()) {
      // free the consumer before answering the cancel, so that it can subscribe again at once
      onEnd.run();
      ended.tryComplete();
    }
  }
}
