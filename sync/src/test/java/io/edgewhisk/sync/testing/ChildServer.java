package io.edgewhisk.sync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A real server run by a test as a child process in a working folder under {@code target/}: started,
 * stopped by its own process id (never by name), and its folder removed when the test is done. A server
 * that does not come up fails the test with the tail of its output.
 */
public final class ChildServer implements AutoCloseable {
  private final String name;
  private final List<String> command;
  private final Path workDir;
  private final Path output;
  private Process process;
  private final Thread reaper;

  ChildServer(String name, List<String> command, Path workDir) {
    this.name = name;
    this.command = List.copyOf(command);
    this.workDir = workDir;
    this.output = workDir.resolve(name + ".out");
    // If the test JVM is stopped, its child servers go with it.
    this.reaper = new Thread(this::kill, name + "-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /** A fresh working folder under {@code target/test-servers}. */
  static Path newWorkDir(String name) {
    try {
      Path base = Path.of("target", "test-servers").toAbsolutePath();
      Files.createDirectories(base);
      return Files.createTempDirectory(base, name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path workDir() {
    return workDir;
  }

  /** Starts the process and waits until {@code ready} holds; fails loudly with its output if it does not. */
  void start(BooleanSupplier ready, Duration within) {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    try {
      process = new ProcessBuilder(command)
          .directory(workDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
          .start();
    } catch (IOException e) {
      throw new AssertionError("cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with status " + process.exitValue() + " while starting:\n" + tail());
      }
      if (ready.getAsBoolean()) {
        return;
      }
      sleep(100);
    }
    kill();
    throw new AssertionError(name + " did not become ready within " + within.toSeconds() + " s:\n" + tail());
  }

  public long pid() {
    return process.pid();
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Stops it with SIGTERM, then SIGKILL after 20 s; the working folder stays for a restart. */
  public void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  /** The last lines the server wrote, for a failure message. */
  public String tail() {
    try {
      List<String> lines = Files.exists(output) ? Files.readAllLines(output) : List.of();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    deleteTree(workDir);
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
