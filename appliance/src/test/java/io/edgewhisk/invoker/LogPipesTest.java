package io.edgewhisk.invoker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.invoker.ContainerEngine.LogStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log pipes on real named pipes, written as a container's processes write them. */
class LogPipesTest {
  @TempDir
  Path root;

  /** What a listener got, as "STDOUT line". */
  private static final class Lines implements ContainerEngine.LogListener {
    final List<String> got = new CopyOnWriteArrayList<>();

    @Override
    public void onLine(LogStream stream, Instant time, String line) {
      got.add(stream + " " + line);
    }

    @Override
    public void onEnd(Throwable failure) {
      throw new AssertionError("the pipes never end a following: Podman says when a container stopped");
    }

    void await(int n) throws InterruptedException {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (got.size() < n && System.nanoTime() < until) {
        Thread.sleep(5);
      }
      assertEquals(n, got.size(), got.size() + " lines, the first " + got.stream().limit(3).map(l -> l.substring(0, Math.min(40, l.length()))).toList());
    }
  }

  private static Thread readerThreads(String name) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("edgewhisk-logs-" + name))
        .findFirst().orElse(null);
  }

  @Test
  void madeSoThatACapabilityLessRootCanWriteThemAndNobodyElseReachesThem() throws Exception {
    try (LogPipes pipes = LogPipes.make(root, "c1")) {
      assertEquals("rwx--x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(pipes.dir())));
      for (String stream : List.of("stdout", "stderr")) {
        Path pipe = pipes.dir().resolve(stream);
        assertTrue(Files.readAttributes(pipe, java.nio.file.attribute.BasicFileAttributes.class).isOther(), stream + " is a pipe");
        assertEquals("rw--w--w-", PosixFilePermissions.toString(Files.getPosixFilePermissions(pipe)));
      }
    }
    assertFalse(Files.exists(root.resolve("c1")), "closing removes them");
  }

  @Test
  void linesOfBothStreamsArriveAsWrittenAndALastPartialLineWhenTheWriterCloses() throws Exception {
    Lines lines = new Lines();
    try (LogPipes pipes = LogPipes.make(root, "c2")) {
      LogPipes.Follow follow = pipes.follow(lines, "c2");
      try (OutputStream out = new FileOutputStream(pipes.dir().resolve("stdout").toFile());
          OutputStream err = new FileOutputStream(pipes.dir().resolve("stderr").toFile())) {
        out.write("one\ntw".getBytes(StandardCharsets.UTF_8));
        out.flush();
        out.write("o\n".getBytes(StandardCharsets.UTF_8));
        err.write("oops\n".getBytes(StandardCharsets.UTF_8));
        lines.await(3);
        out.write("no newline".getBytes(StandardCharsets.UTF_8));
      }
      follow.drain(5_000); // the writers closed: read to the end
      assertEquals(List.of("STDOUT one", "STDOUT two", "STDERR oops", "STDOUT no newline"),
          lines.got.stream().sorted((a, b) -> Integer.compare(order(a), order(b))).toList());
      assertNull(readerThreads("c2"), "the reader is gone");
    }
  }

  private static int order(String line) {
    return List.of("STDOUT one", "STDOUT two", "STDERR oops", "STDOUT no newline").indexOf(line);
  }

  @Test
  void aLineToStdoutThenOneToStderrArriveInThatOrder() throws Exception {
    Lines lines = new Lines();
    try (LogPipes pipes = LogPipes.make(root, "c7")) {
      LogPipes.Follow follow = pipes.follow(lines, "c7");
      try (OutputStream out = new FileOutputStream(pipes.dir().resolve("stdout").toFile());
          OutputStream err = new FileOutputStream(pipes.dir().resolve("stderr").toFile())) {
        // as console.log then console.error: one write each, back to back; the next pair once these arrived
        // (two pairs at once can mix: both pipes then hold bytes, and stdout's are taken first)
        for (int i = 0; i < 200; i++) {
          out.write(("o" + i + "\n").getBytes(StandardCharsets.UTF_8));
          err.write(("e" + i + "\n").getBytes(StandardCharsets.UTF_8));
          lines.await(2 * (i + 1));
        }
      }
      follow.drain(5_000);
      List<String> expected = new java.util.ArrayList<>();
      for (int i = 0; i < 200; i++) {
        expected.add("STDOUT o" + i);
        expected.add("STDERR e" + i);
      }
      assertEquals(expected, lines.got);
    }
  }

  @Test
  void aLongLineIsSplitAtSixteenKilobytes() throws Exception {
    Lines lines = new Lines();
    try (LogPipes pipes = LogPipes.make(root, "c3")) {
      LogPipes.Follow follow = pipes.follow(lines, "c3");
      try (OutputStream out = new FileOutputStream(pipes.dir().resolve("stdout").toFile())) {
        out.write(("x".repeat(40_000) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      lines.await(3);
      assertEquals(List.of(16_384, 16_384, 7_232), lines.got.stream().map(l -> l.length() - "STDOUT ".length()).toList());
      follow.stop();
    }
  }

  @Test
  void stoppingWakesTheReaderBeforeAnyWriterCameAndWhileWritersAreOpen() throws Exception {
    Lines lines = new Lines();
    try (LogPipes pipes = LogPipes.make(root, "c4")) {
      LogPipes.Follow follow = pipes.follow(lines, "c4");
      Thread.sleep(100); // the reader waits in poll(): no writer yet
      long t0 = System.nanoTime();
      follow.stop();
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "stopped at once");
      assertNull(readerThreads("c4"), "the reader is gone");
    }
    try (LogPipes pipes = LogPipes.make(root, "c5")) {
      LogPipes.Follow follow = pipes.follow(lines, "c5");
      try (OutputStream out = new FileOutputStream(pipes.dir().resolve("stdout").toFile());
          OutputStream err = new FileOutputStream(pipes.dir().resolve("stderr").toFile())) {
        out.write("still open\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        lines.await(1);
        long t0 = System.nanoTime();
        follow.stop(); // the writers are still open: the reader is stopped in poll()
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "stopped at once");
        assertNull(readerThreads("c5"), "the reader is gone");
      }
    }
  }

  /**
   * docker-java's stream thread, which drains and stops the pipes when a container ends, may have its interrupt
   * flag set (its stream was closed): the waits still wait, the reader still stops and its descriptors close.
   */
  @Test
  void anInterruptedThreadStillDrainsToTheEndAndStopsTheReader() throws Exception {
    Lines lines = new Lines();
    int count = 5_000; // ~500 KB: far more than a pipe holds, so the writer is still writing when the drain begins
    try (LogPipes pipes = LogPipes.make(root, "c7")) {
      LogPipes.Follow follow = pipes.follow(lines, "c7");
      Thread writer = new Thread(() -> {
        try (OutputStream out = new FileOutputStream(pipes.dir().resolve("stdout").toFile());
            OutputStream err = new FileOutputStream(pipes.dir().resolve("stderr").toFile())) {
          for (int i = 0; i < count; i++) {
            out.write((i + " " + "x".repeat(100) + "\n").getBytes(StandardCharsets.UTF_8));
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      writer.start();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (lines.got.isEmpty() && System.nanoTime() < until) {
        Thread.sleep(1);
      }
      assertFalse(lines.got.isEmpty(), "the writer began");
      boolean[] stillInterrupted = new boolean[1];
      Thread drainer = new Thread(() -> {
        Thread.currentThread().interrupt();
        follow.drain(10_000);
        stillInterrupted[0] = Thread.currentThread().isInterrupted();
      });
      drainer.start();
      drainer.join(15_000);
      writer.join(15_000);
      assertEquals(count, lines.got.size(), "every line written before the end was read");
      assertTrue(stillInterrupted[0], "the flag is kept for the thread's owner");
      assertNull(readerThreads("c7"), "the reader is gone");
      assertEquals(List.of(), OpenFiles.under(pipes.dir()), "the reader's descriptors are closed");
    }
    try (LogPipes pipes = LogPipes.make(root, "c8")) {
      LogPipes.Follow follow = pipes.follow(lines, "c8");
      Thread stopper = new Thread(() -> {
        Thread.currentThread().interrupt();
        follow.stop();
      });
      stopper.start();
      stopper.join(15_000);
      assertNull(readerThreads("c8"), "the reader is gone");
      assertEquals(List.of(), OpenFiles.under(pipes.dir()), "the reader's descriptors are closed");
    }
  }

  @Test
  void closingStopsItsReadersAndClearRemovesWhatAnEarlierRunLeft() throws Exception {
    LogPipes.make(root, "left-1");
    LogPipes.make(root, "left-2");
    LogPipes pipes = LogPipes.make(root, "c6");
    pipes.follow(new Lines(), "c6");
    pipes.close();
    assertNull(readerThreads("c6"), "the reader is gone");
    LogPipes.clear(root);
    try (var left = Files.list(root)) {
      assertEquals(List.of(), left.toList());
    }
    LogPipes.clear(root.resolve("never-made")); // nothing to clear is no failure
  }
}
