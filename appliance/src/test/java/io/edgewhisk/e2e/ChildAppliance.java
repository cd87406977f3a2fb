package io.edgewhisk.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ConnectException;
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
 * {@code edgewhisk serve} in a child JVM (the test JVM's own class path), so that a test can kill it as
 * a crash would. Its output goes to a file the test names, shown when start-up fails.
 */
final class ChildAppliance {
  private final Process process;
  private final int port;
  private final Path output;

  private ChildAppliance(Process process, int port, Path output) {
    this.process = process;
    this.port = port;
    this.output = output;
  }

  /** Starts it and waits until the API answers; {@code properties} are {@code -D} settings. */
  static ChildAppliance start(Path stateDir, List<String> properties, Path output) throws Exception {
    return start(stateDir, properties, java.util.Map.of(), output);
  }

  /** As above, with JVM flags among {@code properties} (later ones win) and environment variables. */
  static ChildAppliance start(Path stateDir, List<String> properties, java.util.Map<String, String> env, Path output)
      throws Exception {
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    // where the test JVM keeps SQLite's unpacked native library: a SIGKILLed child leaves its copy there
    command.add("-Dorg.sqlite.tmpdir=" + System.getProperty("org.sqlite.tmpdir", System.getProperty("java.io.tmpdir")));
    if (System.getProperty("vertx.cacheDirBase") != null) {
      command.add("-Dvertx.cacheDirBase=" + System.getProperty("vertx.cacheDirBase"));
    }
    command.addAll(properties);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.edgewhisk.Main",
        "serve", "--state-dir", stateDir.toString(), "--port", Integer.toString(port)));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
    builder.environment().putAll(env);
    Process process = builder.start();
    ChildAppliance child = new ChildAppliance(process, port, output);
    child.awaitReady(Duration.ofSeconds(120));
    return child;
  }

  private void awaitReady(Duration within) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("the child appliance exited with " + process.exitValue() + " during start-up:\n" + output());
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
    fail("the child appliance did not answer within " + within + ":\n" + output());
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** The child's resident memory (VmRSS), in bytes. */
  long residentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmRSS for pid " + process.pid());
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, as a crash or a power cut would end it: no shutdown hook, no drain. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      fail("the child appliance (pid " + process.pid() + ") survived SIGKILL");
    }
  }

  /** SIGTERM and a clean stop; SIGKILL after 60 s. Answers its exit status. */
  int stop() throws InterruptedException {
    if (!process.isAlive()) {
      return process.exitValue();
    }
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      fail("the child appliance (pid " + process.pid() + ") did not stop within 60 s of SIGTERM");
    }
    return process.exitValue();
  }

  String output() {
    try {
      String all = Files.readString(output, StandardCharsets.UTF_8);
      return all.length() > 20_000 ? all.substring(all.length() - 20_000) : all;
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
