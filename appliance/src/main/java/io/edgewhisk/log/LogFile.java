package io.edgewhisk.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The few file operations the log needs: positional reads and writes, fsync, size and truncation. It
 * is an interface so that tests can put a failing disk under the log (failed or short writes, a
 * failed fsync, a full disk).
 */
interface LogFile extends Closeable {
  /** Writes some of {@code src} at {@code position}; answers how many bytes, which may be fewer. */
  int write(ByteBuffer src, long position) throws IOException;

  /** Reads into {@code dst} from {@code position}; answers the bytes read, or -1 at the end. */
  int read(ByteBuffer dst, long position) throws IOException;

  /** Forces written bytes to the device (fsync / fdatasync). */
  void force() throws IOException;

  long size() throws IOException;

  void truncate(long size) throws IOException;

  /** Writes all of {@code src} at {@code position}, however many calls that takes. */
  default void writeFully(ByteBuffer src, long position) throws IOException {
    long at = position;
    while (src.hasRemaining()) {
      at += write(src, at);
    }
  }

  /** Reads until {@code dst} is full or the file ends. */
  default void readFully(ByteBuffer dst, long position) throws IOException {
    long at = position;
    while (dst.hasRemaining()) {
      int n = read(dst, at);
      if (n < 0) {
        return;
      }
      at += n;
    }
  }
}
