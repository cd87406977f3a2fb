package io.edgewhisk.log;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk form of a record: length of the value (int), CRC32C (int) of everything after it, offset
 * (long), timestamp (long), value. The offset is stored so that recovery can tell a stale or shifted
 * record from the one expected next.
 */
final class RecordFormat {
  static final int HEADER = 24;

  private RecordFormat() {}

  static int sizeOf(int valueLength) {
    return HEADER + valueLength;
  }

  static void write(ByteBuffer target, long offset, long timestamp, Buffer value) {
    int start = target.position();
    byte[] bytes = value.getBytes();
    target.putInt(bytes.length);
    target.putInt(0);
    target.putLong(offset);
    target.putLong(timestamp);
    target.put(bytes);
    target.putInt(start + 4, crc(target, start + 8, 16 + bytes.length));
  }

  /** The CRC32C of {@code length} bytes of {@code buf} from absolute index {@code from}. */
  static int crc(ByteBuffer buf, int from, int length) {
    CRC32C crc = new CRC32C();
    ByteBuffer slice = buf.duplicate();
    slice.limit(from + length).position(from);
    crc.update(slice);
    return (int) crc.getValue();
  }

  /**
   * Decodes the record at absolute index {@code at} of {@code buf}, or answers {@code null} if it is
   * not a whole, intact record with the expected offset.
   */
  static LogRecord decode(ByteBuffer buf, int at, long expectedOffset) {
    if (buf.limit() - at < HEADER) {
      return null;
    }
    int length = buf.getInt(at);
    if (length < 0 || length > buf.limit() - at - HEADER) {
      return null;
    }
    if (buf.getLong(at + 8) != expectedOffset || buf.getInt(at + 4) != crc(buf, at + 8, 16 + length)) {
      return null;
    }
    byte[] value = new byte[length];
    buf.get(at + HEADER, value);
    return new LogRecord(expectedOffset, buf.getLong(at + 16), Buffer.buffer(value));
  }
}
