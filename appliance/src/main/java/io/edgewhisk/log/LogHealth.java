package io.edgewhisk.log;

import java.util.Map;
import java.util.Objects;

/**
 * The state of the whole log, for the health endpoint and {@code /metrics}: the bytes it uses against
 * its disk cap, the records the cap has forced away unconsumed (a non-zero value means work was lost),
 * and the first I/O failure that stopped a topic from accepting appends ({@code null} when none).
 */
public record LogHealth(
    long bytes,
    long diskCapBytes,
    long droppedRecords,
    String failure,
    Map<String, TopicHealth> topics) {

  public LogHealth {
    Objects.requireNonNull(topics, "topics");
    topics = Map.copyOf(topics);
  }

  public boolean healthy() {
    return failure == null;
  }
}
