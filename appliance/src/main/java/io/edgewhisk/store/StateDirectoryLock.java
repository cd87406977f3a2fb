package io.edgewhisk.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * The one-server-per-state-directory lock ({@code <state-dir>/serve.lock}, an OS file lock that dies with the
 * process, so a SIGKILL leaves no stale lock). {@code edgewhisk serve} takes it before anything else touches
 * containers or files, so a second server on a directory in use changes nothing and says so. The admin
 * commands do not take it: they are made to run beside the server.
 */
public final class StateDirectoryLock implements AutoCloseable {
  static final String FILE = "serve.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private StateDirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** A state directory another server holds. */
  public static final class InUseException extends IllegalStateException {
    InUseException(String message) {
      super(message);
    }
  }

  /**
   * Takes the lock and records this process's id in it; blocks briefly (file I/O). Fails with
   * {@link InUseException} (one sentence naming the directory and the holder) when another process holds it.
   */
  public static StateDirectoryLock acquire(Path stateDir) {
    Objects.requireNonNull(stateDir, "stateDir");
    Path file = stateDir.resolve(FILE);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this very process (another appliance in the same JVM)
      }
      if (lock == null) {
        String holder = holder(channel);
        channel.close();
        throw new InUseException("The state directory " + stateDir.toAbsolutePath() + " is in use by another "
            + "EdgeWhisk" + (holder.isEmpty() ? "" : " (process " + holder + ")")
            + "; stop it, or give this one another --state-dir.");
      }
      byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(pid), 0);
      channel.force(false);
      return new StateDirectoryLock(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("Cannot lock the state directory " + stateDir + ": " + e.getMessage(), e);
    }
  }

  private static String holder(FileChannel channel) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(32);
    channel.read(b, 0);
    return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
  }

  /** Whether {@code stateDir}'s lock is held now (by any process); for tests and diagnostics. */
  public static boolean isHeld(Path stateDir) {
    if (!Files.exists(stateDir.resolve(FILE))) {
      return false;
    }
    try {
      acquire(stateDir).close();
      return false;
    } catch (InUseException e) {
      return true;
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // closing the channel releases it anyway
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        // nothing to do
      }
    }
  }
}
