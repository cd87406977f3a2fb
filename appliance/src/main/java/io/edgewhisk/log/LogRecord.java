package io.edgewhisk.log;

import io.vertx.core.buffer.Buffer;
import java.util.Objects;

/**
 * One record of a topic: its offset (dense per topic, from 0), the time it was appended (epoch
 * milliseconds) and its opaque value. The CRC32C that guards it on disk is checked before a record is
 * handed out, so it is not part of the value.
 */
public record LogRecord(long offset, long timestamp, Buffer value) {
  public LogRecord {
    Objects.requireNonNull(value, "value");
  }

  public byte[] bytes() {
    return value.getBytes();
  }
}
