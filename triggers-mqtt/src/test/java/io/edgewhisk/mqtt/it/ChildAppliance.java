package io.edgewhisk.mqtt.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.edgewhisk.mqtt.MqttBrokerVerticle;
import io.edgewhisk.mqtt.security.DeviceUsers;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code edgewhisk serve} with this plugin on its class path, in a child JVM that a test can SIGKILL as a crash
 * or power cut would. The broker listens on a free port with the device user {@code dev}/{@code secret}.
 */
public final class ChildAppliance implements AutoCloseable {
  private final Process process;
  private final int apiPort;
  private final int mqttPort;
  private final Path output;

  private ChildAppliance(Process process, int apiPort, int mqttPort, Path output) {
    this.process = process;
    this.apiPort = apiPort;
    this.mqttPort = mqttPort;
    this.output = output;
  }

  public static ChildAppliance start(Path stateDir, int mqttPort, List<String> properties) throws Exception {
    return start(stateDir, mqttPort, properties, null);
  }

  /** As {@link #start(Path, int, List)}, with {@code serve --config configFile} (null: none). */
  public static ChildAppliance start(Path stateDir, int mqttPort, List<String> properties, Path configFile)
      throws Exception {
    Path dataDir = stateDir.resolve("plugins").resolve("mqtt");
    Files.createDirectories(dataDir);
    DeviceUsers users = new DeviceUsers(MqttBrokerVerticle.usersFile(dataDir));
    if (!users.read().containsKey(EmbeddedBroker.USER)) {
      users.put(EmbeddedBroker.USER, EmbeddedBroker.PASSWORD.toCharArray(), List.of());
    }
    int apiPort = freePort();
    Path output = stateDir.resolve("appliance.out");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-Dorg.sqlite.tmpdir=" + Path.of("target").toAbsolutePath());
    command.add("-Dvertx.cacheDirBase=" + Path.of("target", "vertx-cache").toAbsolutePath());
    command.add("-Dedgewhisk.mqtt.port=" + mqttPort);
    command.add("-Dedgewhisk.mqtt.host=127.0.0.1");
    command.addAll(properties);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.edgewhisk.Main",
        "serve", "--state-dir", stateDir.toString(), "--port", Integer.toString(apiPort)));
    if (configFile != null) {
      command.addAll(List.of("--config", configFile.toString()));
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
    ChildAppliance child = new ChildAppliance(process, apiPort, mqttPort, output);
    child.awaitBroker(Duration.ofSeconds(120));
    return child;
  }

  /**
   * The launcher's JVM flags that shape the appliance's memory and pace (collector, heap sizing, compile
   * threshold, stacks, Netty's arenas), each checked against the launcher script, so that a change there fails
   * here instead of measuring an appliance the package no longer runs. Run from the module's folder.
   */
  public static List<String> launcherFlags() throws IOException {
    Path launcher = Path.of("..", "packaging", "src", "dist", "bin", "edgewhisk");
    String script = Files.readString(launcher);
    List<String> flags = List.of("-XX:+UseSerialGC", "-Xms16m", "-XX:MinHeapFreeRatio=40", "-XX:MaxHeapFreeRatio=40",
        "-XX:SurvivorRatio=4", "-XX:TargetSurvivorRatio=80", "-XX:-ShrinkHeapInSteps", "-Xss512k",
        "-XX:CompileThresholdScaling=4", "-XX:-UsePerfData", "-Dio.netty.allocator.numHeapArenas=2",
        "-Dio.netty.allocator.numDirectArenas=2");
    for (String flag : flags) {
      if (!script.contains(flag)) {
        throw new IllegalStateException(launcher + " no longer passes " + flag + ": bring this list in step with it");
      }
    }
    return flags;
  }

  private void awaitBroker(Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("the child appliance exited with " + process.exitValue() + " during start-up:\n" + output());
      }
      // the broker and the API listen in either order: ready when both do
      try (Socket s = new Socket("127.0.0.1", mqttPort); Socket a = new Socket("127.0.0.1", apiPort)) {
        return;
      } catch (IOException e) {
        Thread.sleep(200);
      }
    }
    close();
    fail("the child appliance's broker or API did not listen within " + within + ":\n" + output());
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public String mqttUrl() {
    return "tcp://127.0.0.1:" + mqttPort;
  }

  public int apiPort() {
    return apiPort;
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook, no flush, as a crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public String output() throws IOException {
    return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
