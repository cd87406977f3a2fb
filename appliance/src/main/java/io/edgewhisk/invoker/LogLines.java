package io.edgewhisk.invoker;

import io.edgewhisk.invoker.ContainerEngine.LogListener;
import io.edgewhisk.invoker.ContainerEngine.LogStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Cuts one stream's bytes into lines for a {@link LogListener}. A line longer than {@link #MAX_LINE_BYTES} is
 * split (as Docker's log drivers split at 16 KiB), so that output without newlines cannot grow a line without
 * bound. One instance per stream and source, used by one thread at a time.
 */
final class LogLines {
  static final int MAX_LINE_BYTES = 16 * 1024;
  private final LogStream stream;
  private final LogListener listener;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  LogLines(LogStream stream, LogListener listener) {
    this.stream = stream;
    this.listener = listener;
  }

  void accept(byte[] bytes) {
    accept(bytes, 0, bytes.length);
  }

  void accept(byte[] bytes, int offset, int length) {
    int from = offset;
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      if (bytes[i] == '\n') {
        append(bytes, from, i - from);
        emit();
        from = i + 1;
      }
    }
    append(bytes, from, end - from);
  }

  private void append(byte[] bytes, int offset, int length) {
    pending.write(bytes, offset, length);
    while (pending.size() > MAX_LINE_BYTES) {
      byte[] all = pending.toByteArray();
      int cut = MAX_LINE_BYTES;
      while (cut > 0 && (all[cut] & 0xC0) == 0x80) {
        cut--; // never inside a UTF-8 sequence
      }
      pending.reset();
      pending.write(all, 0, cut);
      emit();
      pending.write(all, cut, all.length - cut);
    }
  }

  /** The stream ended: a last line without its newline is a line too. */
  void flush() {
    if (pending.size() > 0) {
      emit();
    }
  }

  private void emit() {
    // neither attached streams nor pipes carry time stamps: the time of receipt is within a millisecond of the write
    String line = pending.toString(StandardCharsets.UTF_8);
    pending.reset();
    listener.onLine(stream, Instant.now(), line);
  }
}
