package io.edgewhisk.plugin;

import io.edgewhisk.log.AppendLog;
import io.edgewhisk.log.LogRecord;
import io.edgewhisk.log.Subscription;
import io.edgewhisk.log.Topic;
import io.edgewhisk.spi.LogSubscription;
import io.edgewhisk.spi.LogTopics;
import io.edgewhisk.spi.TopicRecord;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A plugin's view of the embedded log: its topics are {@code <plugin>.<name>}, its consumers
 * {@code <plugin>.<name>}; {@link LogTopics#ACTIVATIONS} is the core's topic, readable only.
 */
final class PluginLogTopics implements LogTopics {
  private final String plugin;
  private final AppendLog log;

  PluginLogTopics(String plugin, AppendLog log) {
    this.plugin = Objects.requireNonNull(plugin, "plugin");
    this.log = Objects.requireNonNull(log, "log");
  }

  private Topic own(String topic) {
    if (topic == null || topic.length() > 60 || !topic.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("bad topic name '" + topic + "'");
    }
    return Topic.of(plugin + "." + topic);
  }

  /** The plugin's topic, or the core's activations topic for reading. */
  private Topic readable(String topic) {
    return ACTIVATIONS.equals(topic) ? Topic.ACTIVATIONS : own(topic);
  }

  private String consumer(String consumer) {
    if (consumer == null || !consumer.matches("[A-Za-z0-9._-]{1,60}")) {
      throw new IllegalArgumentException("bad consumer name '" + consumer + "'");
    }
    return plugin + "." + consumer;
  }

  @Override
  public Future<Long> append(String topic, Buffer value, boolean durable) {
    try {
      return log.append(own(topic), value, durable);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<LogSubscription> subscribe(String topic, String consumer, int maxRecords,
      Function<List<TopicRecord>, Future<?>> handler) {
    try {
      return subscribe(readable(topic), consumer(consumer), maxRecords, handler);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<LogSubscription> subscribeActivations(String consumer, int maxRecords,
      Function<List<TopicRecord>, Future<?>> handler) {
    return subscribe(ACTIVATIONS, consumer, maxRecords, handler);
  }

  private Future<LogSubscription> subscribe(Topic topic, String consumer, int maxRecords,
      Function<List<TopicRecord>, Future<?>> handler) {
    Objects.requireNonNull(handler, "handler");
    return log.subscribe(topic, consumer, maxRecords, records -> handler.apply(records.stream().map(PluginLogTopics::record).toList()))
        .map(s -> new Running(s, topic.name(), consumer));
  }

  @Override
  public Future<Long> committed(String topic, String consumer) {
    try {
      Topic t = readable(topic);
      String c = consumer(consumer);
      return log.register(t, c).compose(v -> log.committed(t, c));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Void> commit(String topic, String consumer, long nextOffset) {
    try {
      return log.commit(readable(topic), consumer(consumer), nextOffset);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public long endOffset(String topic) {
    return log.endOffset(readable(topic));
  }

  private static TopicRecord record(LogRecord r) {
    return new TopicRecord(r.offset(), r.timestamp(), r.value());
  }

  private record Running(Subscription subscription, String topic, String consumer) implements LogSubscription {
    @Override
    public Future<Void> cancel() {
      return subscription.cancel();
    }
  }
}
