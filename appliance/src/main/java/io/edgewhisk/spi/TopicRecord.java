package io.edgewhisk.spi;

import io.vertx.core.buffer.Buffer;
import java.util.Objects;

/** One record of a log topic: its offset (dense per topic, from 0), when it was appended (epoch ms), its value. */
public record TopicRecord(long offset, long timestamp, Buffer value) {
  public TopicRecord {
    Objects.requireNonNull(value, "value");
  }
}
