package io.edgewhisk.log;

import java.util.Map;

/**
 * What one topic holds: the offsets still on disk ({@code startOffset} up to {@code endOffset}, exclusive),
 * its segments and bytes, the records a disk cap forced away before every consumer had committed them,
 * and each registered consumer's committed offset.
 */
public record TopicHealth(
    long startOffset,
    long endOffset,
    int segments,
    long bytes,
    long droppedRecords,
    Map<String, Long> committed) {

  public TopicHealth {
    committed = Map.copyOf(committed);
  }
}
