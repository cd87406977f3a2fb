package io.edgewhisk.sync.fakes;

import io.edgewhisk.log.AppendLog;
import io.edgewhisk.log.FileAppendLog;
import io.edgewhisk.log.LogConfig;
import io.edgewhisk.log.Topic;
import io.edgewhisk.spi.LogSubscription;
import io.edgewhisk.spi.LogTopics;
import io.edgewhisk.spi.TopicRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The SPI's log view over the core's real embedded log (a file log in a test folder), for tests only: what
 * the appliance hands the plugin, so that store-and-forward and SIGKILL tests run on the real, durable log.
 * Test code may reach into the core; the plugin's main code may not.
 */
public final class CoreLogTopics implements LogTopics {
  private final AppendLog log;

  public CoreLogTopics(AppendLog log) {
    this.log = log;
  }

  public static Future<CoreLogTopics> open(Vertx vertx, Path dir) {
    return FileAppendLog.open(vertx, LogConfig.defaults(dir)).map(CoreLogTopics::new);
  }

  public AppendLog log() {
    return log;
  }

  /** Appends an activation record, as the core's recorder does. */
  public Future<Long> appendActivation(Buffer value) {
    return log.append(Topic.ACTIVATIONS, value, true);
  }

  private static Topic topic(String name) {
    return ACTIVATIONS.equals(name) ? Topic.ACTIVATIONS : Topic.of("sync." + name);
  }

  @Override
  public Future<Long> append(String topic, Buffer value, boolean durable) {
    return log.append(topic(topic), value, durable);
  }

  @Override
  public Future<LogSubscription> subscribe(String topic, String consumer, int maxRecords,
      Function<List<TopicRecord>, Future<?>> handler) {
    Topic t = topic(topic);
    return log.subscribe(t, "sync." + consumer, maxRecords,
        records -> handler.apply(records.stream().map(r -> new TopicRecord(r.offset(), r.timestamp(), r.value())).toList()))
        .map(s -> new LogSubscription() {
          @Override public String topic() {
            return topic;
          }

          @Override public String consumer() {
            return consumer;
          }

          @Override public Future<Void> cancel() {
            return s.cancel();
          }
        });
  }

  @Override
  public Future<LogSubscription> subscribeActivations(String consumer, int maxRecords,
      Function<List<TopicRecord>, Future<?>> handler) {
    return subscribe(ACTIVATIONS, consumer, maxRecords, handler);
  }

  @Override
  public Future<Long> committed(String topic, String consumer) {
    return log.register(topic(topic), "sync." + consumer).compose(v -> log.committed(topic(topic), "sync." + consumer));
  }

  @Override
  public Future<Void> commit(String topic, String consumer, long nextOffset) {
    return log.commit(topic(topic), "sync." + consumer, nextOffset);
  }

  @Override
  public long endOffset(String topic) {
    return log.endOffset(topic(topic));
  }
}
