package io.edgewhisk.invoker;

import io.edgewhisk.invoker.ContainerEngine.LogListener;
import io.edgewhisk.invoker.ContainerEngine.LogStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's stdout and stderr as two named pipes (FIFOs) on the host, mounted (read-only) into the
 * container at {@link #MOUNT}. EdgeWhisk's runtime images start their action proxy with its stdout and stderr on these
 * pipes when they are there, so an activation's logs go straight from the action to the invoker's reader
 * threads: neither conmon nor Podman's attach stream wakes for them. An image that does not know them writes
 * to its ordinary stdout and stderr, which the invoker still follows through Podman.
 *
 * <p>Each pipe has a reader thread of its own (a pipe cannot be selected on in Java). It opens the pipe for
 * reading, which waits until the container opens it for writing, and reads until every writer has closed it
 * (the container stopped) or until it is stopped.
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
    Process mkfifo = new ProcessBuilder("mkfifo", "-m", "622", dir.resolve("stdout").toString(), dir.resolve("stderr").toString())
        .redirectErrorStream(true)
        .start();
    try {
      String said = new String(mkfifo.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
      if (!mkfifo.waitFor(10, TimeUnit.SECONDS) || mkfifo.exitValue() != 0) {
        mkfifo.destroyForcibly();
        deleteQuietly(dir);
        throw new IOException("mkfifo failed in " + dir + (said.isEmpty() ? "" : ": " + said));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      mkfifo.destroyForcibly();
      deleteQuietly(dir);
      throw new IOException("interrupted while making the log pipes in " + dir, e);
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
   * Starts reading both pipes into {@code listener}, which is called on the reader threads. Nothing written
   * before can be missed: a container cannot write to a pipe before a reader has opened it.
   */
  Follow follow(LogListener listener, String name) {
    Reader out = new Reader(dir.resolve("stdout"), new LogLines(LogStream.STDOUT, listener));
    Reader err = new Reader(dir.resolve("stderr"), new LogLines(LogStream.STDERR, listener));
    readers.add(out);
    readers.add(err);
    out.start("edgewhisk-logs-" + name + "-out");
    err.start("edgewhisk-logs-" + name + "-err");
    return new Follow(List.of(out, err));
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

  /** Both readers of one following. */
  static final class Follow {
    private final List<Reader> readers;

    private Follow(List<Reader> readers) {
      this.readers = readers;
    }

    /**
     * The container stopped: what its processes wrote is in the pipes until read. Waits up to
     * {@code waitMs} for the readers of opened pipes to read to the end, then stops them all. Blocks.
     */
    void drain(long waitMs) {
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
      for (Reader r : readers) {
        if (r.opened()) {
          r.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
        }
      }
      stop();
    }

    /** Stops reading (waits for the readers, so not on an event loop). */
    void stop() {
      for (Reader r : readers) {
        r.stop();
      }
    }
  }

  /** Reads one pipe on a thread of its own until every writer closed it or it is stopped. */
  private static final class Reader implements Runnable {
    private final Path pipe;
    private final LogLines lines;
    private volatile boolean stopped;
    private volatile FileChannel channel;
    private Thread thread;

    Reader(Path pipe, LogLines lines) {
      this.pipe = pipe;
      this.lines = lines;
    }

    void start(String name) {
      thread = new Thread(null, this, name, READER_STACK_BYTES);
      thread.setDaemon(true);
      thread.start();
    }

    boolean opened() {
      return channel != null;
    }

    void join(long ms) {
      try {
        thread.join(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void run() {
      FileChannel ch;
      try {
        ch = FileChannel.open(pipe, StandardOpenOption.READ); // waits for the container to open it for writing
      } catch (IOException e) {
        if (!stopped) {
          LOG.debug("Could not open the log pipe {}: {}", pipe, e.toString());
        }
        return;
      }
      channel = ch;
      try (ch) {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        while (!stopped && ch.read(buffer) >= 0) {
          lines.accept(buffer.array(), 0, buffer.position());
          buffer.clear();
        }
      } catch (ClosedChannelException stoppedWhileReading) {
        // stop() closed the channel under the read
      } catch (IOException e) {
        LOG.debug("Reading the log pipe {} failed: {}", pipe, e.toString());
      }
      lines.flush();
    }

    /**
     * Stops the thread and waits for it. A thread still waiting to open its pipe is woken by opening the
     * pipe for reading and writing (which never waits), as often as needed until the thread has gone.
     */
    void stop() {
      stopped = true;
      if (thread == null) {
        return;
      }
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WITHIN_MS);
      while (thread.isAlive() && System.nanoTime() < until) {
        FileChannel ch = channel;
        if (ch != null) {
          try {
            ch.close();
          } catch (IOException ignored) {
            // closed either way
          }
        } else {
          try (FileChannel poke = FileChannel.open(pipe, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // opened for reading and writing: a reader waiting in open() goes on and sees it is stopped
          } catch (NoSuchFileException gone) {
            break; // removed under it by someone else: nothing left to open, so nothing to wake it with
          } catch (IOException e) {
            LOG.debug("Could not wake the reader of {}: {}", pipe, e.toString());
          }
        }
        join(10);
      }
      if (thread.isAlive()) {
        LOG.warn("The reader of the log pipe {} did not stop within {} ms", pipe, STOP_WITHIN_MS);
      }
    }
  }
}
