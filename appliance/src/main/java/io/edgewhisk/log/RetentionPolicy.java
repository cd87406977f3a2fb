package io.edgewhisk.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Decides which sealed segments go: first each topic's own retention (size, age), which never takes a
 * segment holding records a registered consumer has not committed; then the disk cap, which takes the
 * oldest sealed segments of any topic until the log fits, counting the uncommitted records it drops.
 * A pure function over the topics' segments, shared by both implementations.
 */
final class RetentionPolicy {
  private RetentionPolicy() {}

  /** A segment as retention sees it: offsets {@code baseOffset} to {@code endOffset} (exclusive). */
  record SegmentInfo(long baseOffset, long endOffset, long bytes, long maxTimestamp) {}

  /** A topic: its segments oldest first (the last is the active one, never deleted). */
  record TopicState(Topic topic, List<SegmentInfo> segments, OptionalLong minCommitted,
      LogConfig.Retention retention) {
    TopicState {
      Objects.requireNonNull(topic, "topic");
      segments = List.copyOf(segments);
    }
  }

  /** A segment to delete, and how many of its records some consumer had not yet committed. */
  record Deletion(Topic topic, SegmentInfo segment, long droppedRecords) {}

  static List<Deletion> plan(List<TopicState> topics, long diskCapBytes, long nowMillis) {
    List<Deletion> deletions = new ArrayList<>();
    int[] kept = new int[topics.size()];
    long total = 0;
    for (int t = 0; t < topics.size(); t++) {
      TopicState topic = topics.get(t);
      List<SegmentInfo> segments = topic.segments();
      long bytes = segments.stream().mapToLong(SegmentInfo::bytes).sum();
      long oldest = nowMillis - topic.retention().age().toMillis();
      int i = 0;
      for (; i < segments.size() - 1; i++) {
        SegmentInfo s = segments.get(i);
        boolean expired = bytes > topic.retention().bytes() || s.maxTimestamp() < oldest;
        boolean consumed = topic.minCommitted().isEmpty() || s.endOffset() <= topic.minCommitted().getAsLong();
        if (!expired || !consumed) {
          break;
        }
        deletions.add(new Deletion(topic.topic(), s, 0));
        bytes -= s.bytes();
      }
      kept[t] = i;
      total += bytes;
    }
    while (total > diskCapBytes) {
      int victim = -1;
      for (int t = 0; t < topics.size(); t++) {
        List<SegmentInfo> segments = topics.get(t).segments();
        if (kept[t] < segments.size() - 1 && (victim < 0
            || segments.get(kept[t]).maxTimestamp() < topics.get(victim).segments().get(kept[victim]).maxTimestamp())) {
          victim = t;
        }
      }
      if (victim < 0) {
        break;
      }
      TopicState topic = topics.get(victim);
      SegmentInfo s = topic.segments().get(kept[victim]++);
      long dropped = topic.minCommitted().isEmpty() ? 0
          : Math.max(0, s.endOffset() - Math.max(s.baseOffset(), topic.minCommitted().getAsLong()));
      deletions.add(new Deletion(topic.topic(), s, dropped));
      total -= s.bytes();
    }
    return deletions;
  }
}
