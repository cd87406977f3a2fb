package io.edgewhisk.invoker;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import io.edgewhisk.invoker.ContainerEngine.LogListener;
import io.edgewhisk.invoker.ContainerEngine.LogStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's stdout and stderr as two named pipes (FIFOs) on the host, mounted (read-only) into the
 * container at {@link #MOUNT}. EdgeWhisk's runtime images start their action proxy with its stdout and
 * stderr on these pipes when they are there, so an activation's logs go straight from the action to the
 * invoker's reader: neither conmon nor Podman's attach stream wakes for them. An image that does not know them writes
 * to its ordinary stdout and stderr, which the invoker still follows through Podman.
 *
 * <p>One thread per container reads both pipes with poll(2) (Java cannot select on a pipe), until every
 * writer has closed them (the container stopped) or until it is stopped.
 */
final class LogPipes implements AutoCloseable {
  /** Where a container finds its pipes: {@code stdout} and {@code stderr} in this directory. */
  static final String MOUNT = "/run/edgewhisk";
  private static final Logger LOG = LoggerFactory.getLogger(LogPipes.class);
  private static final long READER_STACK_BYTES = 256 * 1024;
  private static final long STOP_WITHIN_MS = 2_000;

  private final Path dir;
  private final List<Reader> readers = new CopyOnWriteArrayList<>();

  private LogPipes(Path dir) {
    this.dir = dir;
  }

  /**
   * Makes {@code root/name} with the two pipes. The container's processes run as root without capabilities,
   * so with ordinary permissions: the directory may be entered (not listed) and the pipes written by anyone,
   * while the directories above keep everyone else of the host away.
   */
  static LogPipes make(Path root, String name) throws IOException {
    Path dir = root.resolve(name);
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    try {
      for (String stream : List.of("stdout", "stderr")) {
        Path pipe = dir.resolve(stream);
        Posix.mkfifo(pipe.toString(), 0600);
        Files.setPosixFilePermissions(pipe, PosixFilePermissions.fromString("rw--w--w-")); // whatever the umask
      }
    } catch (LastErrorException e) {
      deleteQuietly(dir);
      throw new IOException("could not make the log pipes in " + dir + " (errno " + e.getErrorCode() + ")", e);
    } catch (IOException e) {
      deleteQuietly(dir);
      throw e;
    }
    return new LogPipes(dir);
  }

  /** Removes what an earlier run left under {@code root} (its containers are gone with it). */
  static void clear(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (var leftovers = Files.list(root)) {
      for (Path dir : leftovers.toList()) {
        deleteQuietly(dir);
      }
    }
  }

  Path dir() {
    return dir;
  }

  /**
   * Starts reading both pipes into {@code listener}, which is called on the reader's thread. Nothing written
   * before can be missed: a container cannot open a pipe for writing before a reader has opened it.
   */
  Follow follow(LogListener listener, String name) throws IOException {
    Reader reader = new Reader(dir.resolve("stdout"), dir.resolve("stderr"),
        new LogLines(LogStream.STDOUT, listener), new LogLines(LogStream.STDERR, listener));
    readers.add(reader);
    reader.start("edgewhisk-logs-" + name);
    return new Follow(reader);
  }

  /** Stops the readers (waiting for them, so not on an event loop) and removes the pipes. */
  @Override
  public void close() {
    for (Reader r : readers) {
      r.stop();
    }
    deleteQuietly(dir);
  }

  private static void deleteQuietly(Path dir) {
    try {
      if (Files.isDirectory(dir)) {
        try (var files = Files.list(dir)) {
          for (Path f : files.toList()) {
            Files.deleteIfExists(f);
          }
        }
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      LOG.warn("Could not remove the log pipes {}: {}", dir, e.getMessage());
    }
  }

  /** The reader of one following. */
  static final class Follow {
    private final Reader reader;

    private Follow(Reader reader) {
      this.reader = reader;
    }

    /**
     * The container stopped: what its processes wrote is in the pipes until read. Waits up to {@code waitMs}
     * for the reader to read both to their end (if anything came through them at all), then stops it. Blocks.
     */
    void drain(long waitMs) {
      if (reader.written()) {
        reader.join(waitMs);
      }
      reader.stop();
    }

    /** Stops reading (waits for the reader, so not on an event loop). */
    void stop() {
      reader.stop();
    }
  }

  /**
   * Reads both pipes on one thread, with poll(2), until every writer has closed them or it is stopped: one
   * thread, so that lines written to stdout and then to stderr arrive in that order (when both have
   * something to read at once, stdout's is taken first, as conmon does). Opened without waiting for a writer
   * ({@code O_NONBLOCK}); woken to stop through a pipe of its own.
   */
  private static final class Reader implements Runnable {
    private static final int OUT = 0;
    private static final int ERR = 1;
    private static final int WAKE = 2;
    private static final int READ_BYTES = 16 * 1024;
    private final Path[] pipes;
    private final LogLines[] lines;
    private final int[] fds = {-1, -1};
    private final int[] wake = {-1, -1};
    private volatile boolean written;
    private boolean stopped;
    private Thread thread;

    Reader(Path out, Path err, LogLines outLines, LogLines errLines) {
      this.pipes = new Path[] {out, err};
      this.lines = new LogLines[] {outLines, errLines};
    }

    void start(String name) throws IOException {
      try {
        Posix.pipe(wake);
        for (int i = OUT; i <= ERR; i++) {
          fds[i] = Posix.open(pipes[i].toString(), Posix.O_RDONLY | Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        }
      } catch (LastErrorException e) {
        closeAll();
        throw new IOException("could not open the log pipes in " + pipes[OUT].getParent() + " (errno " + e.getErrorCode() + ")", e);
      }
      thread = new Thread(null, this, name, READER_STACK_BYTES);
      thread.setDaemon(true);
      thread.start();
    }

    /** Something came through a pipe: its writer was there, and its end will be seen. */
    boolean written() {
      return written;
    }

    /**
     * Waits up to {@code ms} for the thread to end, even on a thread whose interrupt flag is set (docker-java's
     * stream thread, when its stream is closed, drains from an interrupted thread): the flag is kept for its
     * owner, not taken as a reason to give up waiting, which left the reader running and its descriptors open.
     */
    void join(long ms) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1, ms));
      boolean interrupted = false;
      try {
        long left = Math.max(1, ms);
        while (thread.isAlive() && left > 0) {
          try {
            thread.join(left);
          } catch (InterruptedException e) {
            interrupted = true; // the flag is cleared now: the next join waits
          }
          left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public void run() {
      Memory polled = new Memory(3L * Posix.POLLFD_BYTES);
      for (int i = OUT; i <= WAKE; i++) {
        polled.setInt((long) i * Posix.POLLFD_BYTES, i == WAKE ? wake[0] : fds[i]);
        polled.setShort((long) i * Posix.POLLFD_BYTES + 4, Posix.POLLIN);
      }
      byte[] buffer = new byte[READ_BYTES];
      Memory read = new Memory(READ_BYTES);
      NativeLong size = new NativeLong(READ_BYTES);
      NativeLong three = new NativeLong(3);
      int open = 2;
      try {
        while (open > 0) {
          try {
            Posix.poll(polled, three, -1);
          } catch (LastErrorException e) {
            if (e.getErrorCode() == Posix.EINTR) {
              continue;
            }
            throw e;
          }
          if (revents(polled, WAKE) != 0) {
            return; // stopped
          }
          for (int i = OUT; i <= ERR; i++) {
            short events = revents(polled, i);
            if (events == 0 || fds[i] < 0) {
              continue;
            }
            // without POLLIN it is POLLHUP (every writer gone, nothing left) or an error: the end either way
            long n = (events & Posix.POLLIN) != 0 ? readSome(fds[i], read, size) : 0;
            if (n > 0) {
              written = true;
              read.read(0, buffer, 0, (int) n);
              lines[i].accept(buffer, 0, (int) n);
            } else if (n == 0) { // the end: every writer closed it
              lines[i].flush();
              Posix.close(fds[i]);
              fds[i] = -1;
              polled.setInt((long) i * Posix.POLLFD_BYTES, -1); // poll leaves a negative fd alone
              open--;
            }
          }
        }
      } catch (LastErrorException e) {
        LOG.debug("Reading the log pipes in {} failed (errno {})", pipes[OUT].getParent(), e.getErrorCode());
      } finally {
        for (int i = OUT; i <= ERR; i++) {
          lines[i].flush();
        }
        polled.close(); // native memory, freed now rather than when the collector finds it
        read.close();
      }
    }

    private static short revents(Memory polled, int i) {
      return polled.getShort((long) i * Posix.POLLFD_BYTES + 6);
    }

    /** Bytes read, 0 at the end, -1 when there was nothing after all. */
    private static long readSome(int fd, Memory buffer, NativeLong size) {
      try {
        return Posix.read(fd, buffer, size).longValue();
      } catch (LastErrorException e) {
        if (e.getErrorCode() == Posix.EAGAIN || e.getErrorCode() == Posix.EINTR) {
          return -1;
        }
        throw e;
      }
    }

    /** Wakes the thread, waits for it, then closes what it read from. Safe to call more than once. */
    synchronized void stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      if (thread != null && thread.isAlive()) {
        try {
          Posix.write(wake[1], new byte[] {1}, new NativeLong(1));
        } catch (LastErrorException e) {
          LOG.debug("Could not wake the reader of {} (errno {})", pipes[OUT].getParent(), e.getErrorCode());
        }
        join(STOP_WITHIN_MS);
        if (thread.isAlive()) {
          LOG.warn("The reader of the log pipes in {} did not stop within {} ms", pipes[OUT].getParent(), STOP_WITHIN_MS);
          return; // its descriptors stay open rather than be closed under it
        }
      }
      closeAll();
    }

    private void closeAll() {
      for (int[] pair : new int[][] {fds, wake}) {
        for (int i = 0; i < pair.length; i++) {
          if (pair[i] >= 0) {
            try {
              Posix.close(pair[i]);
            } catch (LastErrorException ignored) {
              // closed either way
            }
            pair[i] = -1;
          }
        }
      }
    }
  }
}
