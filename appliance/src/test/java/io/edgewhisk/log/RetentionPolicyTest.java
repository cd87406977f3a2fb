package io.edgewhisk.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgewhisk.log.RetentionPolicy.Deletion;
import io.edgewhisk.log.RetentionPolicy.SegmentInfo;
import io.edgewhisk.log.RetentionPolicy.TopicState;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Retention's decisions, without files. */
class RetentionPolicyTest {
  static final LogConfig.Retention KEEP_1000_BYTES = new LogConfig.Retention(1000, Duration.ofDays(1));

  /** Four segments of 10 records and 500 bytes, the oldest written at time 0, the next at 1, ... */
  static List<SegmentInfo> fourSegments() {
    return List.of(new SegmentInfo(0, 10, 500, 0), new SegmentInfo(10, 20, 500, 1),
        new SegmentInfo(20, 30, 500, 2), new SegmentInfo(30, 40, 500, 3));
  }

  static List<Long> bases(List<Deletion> deletions) {
    return deletions.stream().map(d -> d.segment().baseOffset()).toList();
  }

  @Test
  void sizeRetentionTakesTheOldestUntilTheTopicFits() {
    var plan = RetentionPolicy.plan(List.of(new TopicState(Topic.INVOKE, fourSegments(), OptionalLong.empty(),
        KEEP_1000_BYTES)), 1 << 20, 10);
    assertEquals(List.of(0L, 10L), bases(plan));
  }

  @Test
  void aConsumerHoldsBackRetentionAtTheSegmentHoldingItsOffset() {
    var plan = RetentionPolicy.plan(List.of(new TopicState(Topic.INVOKE, fourSegments(), OptionalLong.of(15),
        KEEP_1000_BYTES)), 1 << 20, 10);
    assertEquals(List.of(0L), bases(plan));
  }

  @Test
  void theActiveSegmentStaysEvenWhenOld() {
    var plan = RetentionPolicy.plan(List.of(new TopicState(Topic.INVOKE, fourSegments(), OptionalLong.empty(),
        new LogConfig.Retention(1 << 20, Duration.ofMillis(1)))), 1 << 20, 1_000_000);
    assertEquals(List.of(0L, 10L, 20L), bases(plan));
  }

  @Test
  void theDiskCapOverridesAConsumerAndCountsWhatItDrops() {
    var plan = RetentionPolicy.plan(List.of(new TopicState(Topic.INVOKE, fourSegments(), OptionalLong.of(15),
        new LogConfig.Retention(1 << 20, Duration.ofDays(1)))), 1000, 10);
    assertEquals(List.of(0L, 10L), bases(plan));
    assertEquals(List.of(0L, 5L), plan.stream().map(Deletion::droppedRecords).toList());
  }

  @Test
  void theDiskCapTakesTheOldestSegmentAcrossTopics() {
    List<SegmentInfo> newer = List.of(new SegmentInfo(0, 10, 500, 5), new SegmentInfo(10, 20, 500, 6));
    var plan = RetentionPolicy.plan(List.of(
        new TopicState(Topic.ACTIVATIONS, newer, OptionalLong.empty(), KEEP_1000_BYTES),
        new TopicState(Topic.INVOKE, fourSegments(), OptionalLong.of(0), new LogConfig.Retention(1 << 20,
            Duration.ofDays(1)))), 2000, 10);
    assertEquals(List.of(Topic.INVOKE, Topic.INVOKE), plan.stream().map(Deletion::topic).toList());
    assertEquals(20, plan.stream().mapToLong(Deletion::droppedRecords).sum());
  }
}
