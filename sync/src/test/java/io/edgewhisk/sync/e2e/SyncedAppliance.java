package io.edgewhisk.sync.e2e;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real appliance with this plugin on its class path ({@code edgewhisk serve} in a child JVM, real Podman,
 * its own state directory and config file), so that a test drives it through its REST API as a user would
 * and can restart it on the same state. Its output goes to a file, shown when start-up fails.
 */
final class SyncedAppliance implements AutoCloseable {
  private final Path stateDir;
  private final Path configFile;
  private final Path output;
  private Process process;
  private int port;

  /** {@code config} is HOCON merged over the appliance's defaults (the {@code edgewhisk} tree). */
  SyncedAppliance(Path stateDir, String config) throws IOException {
    this.stateDir = stateDir;
    this.configFile = stateDir.resolveSibling(stateDir.getFileName() + ".conf");
    this.output = stateDir.resolveSibling(stateDir.getFileName() + ".out");
    Files.writeString(configFile, config);
  }

  /** Starts it (again) and waits until the API answers. */
  SyncedAppliance start() throws Exception {
    port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-Dorg.sqlite.tmpdir=" + Path.of("target").toAbsolutePath());
    command.add("-Dvertx.cacheDirBase=" + Path.of("target", "vertx-cache").toAbsolutePath());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.edgewhisk.Main", "serve",
        "--config", configFile.toString(), "--state-dir", stateDir.toString(), "--port", Integer.toString(port)));
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
    awaitReady(Duration.ofSeconds(120));
    return this;
  }

  private void awaitReady(Duration within) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the appliance exited with " + process.exitValue() + " during start-up:\n" + output());
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (ConnectException | java.net.http.HttpTimeoutException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    stop();
    throw new AssertionError("the appliance did not answer within " + within + ":\n" + output());
  }

  int port() {
    return port;
  }

  /** The local guest namespace's key, made at the first start. */
  String guestKey() throws IOException {
    return Files.readString(stateDir.resolve("guest.key")).strip();
  }

  /** SIGTERM and a clean stop (SIGKILL after 60 s); answers the exit status. */
  int stop() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return process == null ? 0 : process.exitValue();
    }
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError("the appliance (pid " + process.pid() + ") did not stop within 60 s of SIGTERM");
    }
    return process.exitValue();
  }

  /** SIGKILL, as a power cut or the OOM killer would end it; waits until it is gone. */
  void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new AssertionError("the appliance (pid " + process.pid() + ") outlived SIGKILL by 30 s");
      }
    }
  }

  /** The last 20,000 characters it wrote. */
  String output() {
    try {
      String all = Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
      return all.length() > 20_000 ? all.substring(all.length() - 20_000) : all;
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** Everything it wrote, to look for what must never be there. */
  String wholeOutput() throws IOException {
    return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Waits until {@code condition} holds, checking every 200 ms; fails after {@code within} with the appliance's output. */
  void await(String what, java.time.Duration within, java.util.function.Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        org.junit.jupiter.api.Assertions.fail("not within " + within.toSeconds() + " s: " + what + "\n" + output());
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
