package io.edgewhisk.mqtt.broker;

import io.edgewhisk.mqtt.store.BrokerStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The retained message of each topic (set, replaced, cleared by an empty payload), bounded in count.
 * The broker's own {@code $SYS} topics are kept apart, in memory only and outside the bound: they are
 * rebuilt at every start.
 */
final class RetainedMessages {
  private final Map<String, PublishedMessage> byTopic = new HashMap<>();
  private final Map<String, PublishedMessage> sys = new HashMap<>();
  private final BrokerStore store;
  private final int max;
  private final BrokerStats stats;

  RetainedMessages(BrokerStore store, int max, BrokerStats stats) {
    this.store = Objects.requireNonNull(store, "store");
    this.max = max;
    this.stats = Objects.requireNonNull(stats, "stats");
  }

  void restore(PublishedMessage m) {
    byTopic.put(m.topic(), m);
    stats.retainedCount = byTopic.size();
  }

  /**
   * Sets, replaces or clears the topic's retained message. Answers null when refused at the bound (the
   * message is still delivered, only not retained), otherwise the durable write.
   */
  Future<Void> put(PublishedMessage m) {
    if (m.topic().startsWith("$SYS/")) {
      sys.put(m.topic(), m);
      return Future.succeededFuture();
    }
    if (m.payload().length == 0) {
      byTopic.remove(m.topic());
      stats.retainedCount = byTopic.size();
      return store.removeRetained(m.topic());
    }
    if (!byTopic.containsKey(m.topic()) && byTopic.size() >= max) {
      stats.retainedRefused++;
      return null;
    }
    byTopic.put(m.topic(), m);
    stats.retainedCount = byTopic.size();
    return store.putRetained(m);
  }

  /** The live retained messages whose topic the filter matches; expired ones are dropped on the way. */
  List<PublishedMessage> matching(String filter, long now) {
    List<PublishedMessage> out = new ArrayList<>();
    if (filter.startsWith("$SYS")) {
      sys.values().stream().filter(m -> Topics.matches(filter, m.topic())).forEach(out::add);
      return out;
    }
    List<String> expired = new ArrayList<>();
    for (PublishedMessage m : byTopic.values()) {
      if (m.expired(now)) {
        expired.add(m.topic());
      } else if (Topics.matches(filter, m.topic())) {
        out.add(m);
      }
    }
    for (String topic : expired) {
      byTopic.remove(topic);
      store.removeRetained(topic);
    }
    stats.retainedCount = byTopic.size();
    return out;
  }

  int size() {
    return byTopic.size();
  }
}
