package io.edgewhisk.sync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft Kafka broker (Apache Kafka's own jars from Maven Central, on the test class path)
 * run as a child JVM on free ports of 127.0.0.1, formatted with {@code kafka.tools.StorageTool}. Its data
 * folder survives {@link #stop()}, so a test can take the broker away and bring it back.
 */
public final class KafkaNode implements AutoCloseable {
  private final ChildServer server;
  private final int port;
  private final Path properties;

  private KafkaNode() {
    this.port = FreePort.next();
    int controllerPort = FreePort.next();
    Path dir = ChildServer.newWorkDir("kafka");
    this.properties = dir.resolve("server.properties");
    writeConfig(dir, controllerPort);
    format(dir);
    this.server = new ChildServer("kafka", javaCommand("kafka.Kafka", properties.toString()), dir);
  }

  public static KafkaNode start() {
    KafkaNode k = new KafkaNode();
    k.restart();
    return k;
  }

  /** Starts the broker (again), waiting until it answers a metadata request. */
  public void restart() {
    server.start(this::answers, Duration.ofSeconds(120));
  }

  public void stop() {
    server.stop();
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public ChildServer process() {
    return server;
  }

  private void writeConfig(Path dir, int controllerPort) {
    String conf = String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + dir.resolve("data"),
        "num.partitions=1",
        "auto.create.topics.enable=true",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "") ;
    String logback = "<configuration><appender name=\"O\" class=\"ch.qos.logback.core.ConsoleAppender\">"
        + "<encoder><pattern>%d %-5level %logger{20} %msg%n</pattern></encoder></appender>"
        + "<root level=\"WARN\"><appender-ref ref=\"O\"/></root>"
        + "<logger name=\"kafka.server.KafkaServer\" level=\"INFO\"/></configuration>";
    try {
      Files.writeString(properties, conf);
      Files.writeString(dir.resolve("logback.xml"), logback);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void format(Path dir) {
    List<String> cmd = javaCommand("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
        "-c", properties.toString());
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("format.out").toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("Kafka's StorageTool did not finish within 120 s");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("Kafka's StorageTool failed: " + Files.readString(dir.resolve("format.out")));
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run Kafka's StorageTool: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private List<String> javaCommand(String mainClass, String... args) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path dir = properties.getParent();
    List<String> cmd = new java.util.ArrayList<>(List.of(java.toString(), "-Xmx512m", "-XX:+UseSerialGC",
        "-Dlogback.configurationFile=" + dir.resolve("logback.xml"),
        "-cp", System.getProperty("java.class.path"), mainClass));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private boolean answers() {
    if (!FreePort.listening(port)) {
      return false;
    }
    Properties p = new Properties();
    p.putAll(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000));
    try (Admin admin = Admin.create(p)) {
      return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
