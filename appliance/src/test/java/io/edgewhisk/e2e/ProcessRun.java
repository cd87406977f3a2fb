package io.edgewhisk.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an outside program (node, curl, podman) to completion for a test: its exit status and output.
 * A program that is missing fails the test with the reason, never skips it; one that overruns its time
 * is killed by its process id.
 */
record ProcessRun(int exitCode, String stdout, String stderr) {

  static ProcessRun of(List<String> command, Map<String, String> env, long timeoutSeconds) {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command.get(0) + " (is it installed?): " + e.getMessage(), e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread outReader = drain(process.getInputStream(), out);
    Thread errReader = drain(process.getErrorStream(), err);
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        fail(command + " ran longer than " + timeoutSeconds + " s; stderr: " + err.toString(StandardCharsets.UTF_8));
      }
      outReader.join(5_000);
      errReader.join(5_000);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return new ProcessRun(process.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static ProcessRun of(List<String> command) {
    return of(command, Map.of(), 60);
  }

  private static Thread drain(InputStream in, ByteArrayOutputStream sink) {
    Thread t = new Thread(() -> {
      try (in) {
        in.transferTo(sink);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, "process-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The executable on PATH, or the test fails saying it is missing. */
  static String requireOnPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new AssertionError(program + " is not installed (not on PATH); this test needs it");
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
  }
}
