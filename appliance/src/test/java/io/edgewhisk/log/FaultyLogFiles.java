package io.edgewhisk.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A disk that fails on demand, under the file log (in the manner of tape's tests): failing writes,
 * short writes, a disk that fills up part-way through a write, failing fsyncs and truncations.
 */
final class FaultyLogFiles implements LogFiles {
  private final LogFiles real = LogFiles.standard();
  volatile IOException failWrites;
  volatile IOException failForce;
  volatile IOException failTruncate;
  /** Most bytes one write call takes (a short write), or 0 for no limit. */
  volatile int maxBytesPerWrite;
  /** Bytes that may still be written before the disk is full, or negative for no limit. */
  final AtomicLong freeBytes = new AtomicLong(-1);

  void heal() {
    failWrites = null;
    failForce = null;
    failTruncate = null;
    maxBytesPerWrite = 0;
    freeBytes.set(-1);
  }

  @Override
  public LogFile open(Path path) throws IOException {
    LogFile file = real.open(path);
    return new LogFile() {
      @Override
      public int write(ByteBuffer src, long position) throws IOException {
        if (failWrites != null) {
          throw failWrites;
        }
        int n = src.remaining();
        if (maxBytesPerWrite > 0) {
          n = Math.min(n, maxBytesPerWrite);
        }
        long free = freeBytes.get();
        if (free == 0) {
          throw new IOException("No space left on device");
        }
        if (free > 0) {
          n = (int) Math.min(n, free);
          freeBytes.addAndGet(-n);
        }
        ByteBuffer part = src.duplicate();
        part.limit(part.position() + n);
        int written = file.write(part, position);
        src.position(src.position() + written);
        return written;
      }

      @Override
      public int read(ByteBuffer dst, long position) throws IOException {
        return file.read(dst, position);
      }

      @Override
      public void force() throws IOException {
        if (failForce != null) {
          throw failForce;
        }
        file.force();
      }

      @Override
      public long size() throws IOException {
        return file.size();
      }

      @Override
      public void truncate(long size) throws IOException {
        if (failTruncate != null) {
          throw failTruncate;
        }
        file.truncate(size);
      }

      @Override
      public void close() throws IOException {
        file.close();
      }
    };
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    if (failForce != null) {
      throw failForce;
    }
    real.syncDirectory(dir);
  }
}
