package io.edgewhisk.invoker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Podman's REST service when this appliance has to run it itself: {@code podman system service --time=0}
 * on the configured socket, started when the socket is missing and stopped again on close. Blocking;
 * call it off the event loop.
 */
final class PodmanService {
  private static final long WAIT_MS = 15_000;

  private final Process process;

  private PodmanService(Process process) {
    this.process = process;
  }

  /** The path of the {@code podman} command, or null when it is not installed. */
  static Path podmanCommand() {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, "podman");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** Starts the service on {@code socket} and waits until the socket is there. */
  static PodmanService start(Path podman, Path socket) throws IOException {
    Files.createDirectories(socket.toAbsolutePath().getParent());
    Process p = new ProcessBuilder(podman.toString(), "system", "service", "--time=0", "unix://" + socket.toAbsolutePath())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (!Files.exists(socket) && p.isAlive() && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (!Files.exists(socket)) {
      p.destroy();
      throw new IOException("`podman system service` did not open " + socket
          + (p.isAlive() ? " within " + WAIT_MS / 1000 + " s" : " (it exited)"));
    }
    return new PodmanService(p);
  }

  long pid() {
    return process.pid();
  }

  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
