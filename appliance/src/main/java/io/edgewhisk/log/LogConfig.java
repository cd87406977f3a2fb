package io.edgewhisk.log;

import com.typesafe.config.Config;
import io.edgewhisk.config.ConfigValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The embedded log's settings ({@code edgewhisk.log} in reference.conf).
 *
 * @param dir the log's directory; each topic is a directory of segment files under it
 * @param segmentBytes a topic's active segment is rolled before it would grow past this
 * @param maxRecordBytes largest value accepted by an append
 * @param retention how long and how large a topic may grow before old segments go, unless overridden
 * @param topicRetention overrides of {@code retention} by topic name
 * @param diskCapBytes hard cap on all topics' bytes: over it, the oldest segments go even if unconsumed
 * @param groupCommitMaxBatch most appends written and covered by one fsync
 * @param groupCommitMaxDelay how long a durable batch may wait for more appends before its fsync
 * @param retentionCheckInterval how often retention runs besides at every segment roll
 * @param redeliveryDelay how long a subscription waits before redelivering a batch its handler failed
 */
public record LogConfig(
    Path dir,
    long segmentBytes,
    int maxRecordBytes,
    Retention retention,
    Map<String, Retention> topicRetention,
    long diskCapBytes,
    int groupCommitMaxBatch,
    Duration groupCommitMaxDelay,
    Duration retentionCheckInterval,
    Duration redeliveryDelay) {

  /** A topic's retention: sealed segments go once the topic is over {@code bytes} or older than {@code age}. */
  public record Retention(long bytes, Duration age) {
    public Retention {
      Objects.requireNonNull(age, "age");
      if (bytes <= 0 || age.isNegative() || age.isZero()) {
        throw new IllegalArgumentException("retention bytes and age must be positive");
      }
    }
  }

  public LogConfig {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(groupCommitMaxDelay, "groupCommitMaxDelay");
    Objects.requireNonNull(retentionCheckInterval, "retentionCheckInterval");
    Objects.requireNonNull(redeliveryDelay, "redeliveryDelay");
    topicRetention = Map.copyOf(topicRetention);
    if (segmentBytes < 1024 || segmentBytes > (1L << 30)) {
      throw new IllegalArgumentException("segment-bytes must be between 1 KiB and 1 GiB");
    }
    if (maxRecordBytes <= 0) {
      throw new IllegalArgumentException("max-record-bytes must be positive");
    }
    if (diskCapBytes < segmentBytes) {
      throw new IllegalArgumentException("disk-cap-bytes must be at least segment-bytes");
    }
    if (groupCommitMaxBatch < 1) {
      throw new IllegalArgumentException("group-commit.max-batch must be at least 1");
    }
  }

  /** Settings for tests and tools: small segments, generous limits, no delay. */
  public static LogConfig defaults(Path dir) {
    return new LogConfig(dir, 16L << 20, 8 << 20, new Retention(256L << 20, Duration.ofDays(7)), Map.of(),
        2L << 30, 1024, Duration.ZERO, Duration.ofMinutes(1), Duration.ofSeconds(1));
  }

  /** Reads {@code edgewhisk.log}; a relative {@code dir} is taken under the state directory. */
  public static LogConfig from(Config c, Path stateDir) {
    Path dir = stateDir.resolve(c.getString("dir"));
    Retention retention = new Retention(ConfigValues.bytes(c, "retention-bytes"),
        positive(c, "retention-age"));
    Map<String, Retention> byTopic = new HashMap<>();
    Config topics = c.getConfig("topics");
    for (String name : topics.root().keySet()) {
      Config t = topics.getConfig(name).withFallback(c);
      try {
        Topic.of(name);
      } catch (IllegalArgumentException e) {
        throw new com.typesafe.config.ConfigException.BadValue(c.origin(), "topics." + name, e.getMessage());
      }
      byTopic.put(name, new Retention(ConfigValues.bytes(t, "retention-bytes"), positive(t, "retention-age")));
    }
    try {
      return new LogConfig(
        dir,
        ConfigValues.bytes(c, "segment-bytes"),
        (int) Math.min(Integer.MAX_VALUE - 64, ConfigValues.bytes(c, "max-record-bytes")),
        retention,
        byTopic,
        ConfigValues.bytes(c, "disk-cap-bytes"),
        ConfigValues.intIn(c, "group-commit.max-batch", 1, 1_000_000),
        ConfigValues.duration(c, "group-commit.max-delay"),
        positive(c, "retention-check-interval"),
        ConfigValues.duration(c, "redelivery-delay"));
    } catch (IllegalArgumentException e) {
      throw new com.typesafe.config.ConfigException.BadValue(c.origin(), "edgewhisk.log", e.getMessage());
    }
  }

  public Retention retentionOf(Topic topic) {
    return topicRetention.getOrDefault(topic.name(), retention);
  }

  private static Duration positive(Config c, String path) {
    Duration d = ConfigValues.duration(c, path);
    if (d.isZero()) {
      throw new com.typesafe.config.ConfigException.BadValue(c.origin(), path, "must be positive");
    }
    return d;
  }
}
