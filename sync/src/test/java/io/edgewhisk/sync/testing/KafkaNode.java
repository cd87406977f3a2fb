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
  private final int saslPort;
  private final Path properties;

  /** {@code saslUser}/{@code saslPassword}: also a SASL_PLAINTEXT listener with PLAIN that knows this user. */
  private KafkaNode(String saslUser, String saslPassword) {
    this.port = FreePort.next();
    this.saslPort = saslUser == null ? -1 : FreePort.next();
    int controllerPort = FreePort.next();
    Path dir = ChildServer.newWorkDir("kafka");
    this.properties = dir.resolve("server.properties");
    writeConfig(dir, controllerPort, saslUser, saslPassword);
    format(dir);
    this.server = new ChildServer("kafka", javaCommand("kafka.Kafka", properties.toString()), dir);
  }

  public static KafkaNode start() {
    KafkaNode k = new KafkaNode(null, null);
    k.restart();
    return k;
  }

  /**
   * A broker that also takes clients authenticated with SASL PLAIN as {@code user}/{@code password} (as a
   * central cluster's would) on {@link #saslBootstrapServers()}; the plain listener stays for the tests' own clients.
   */
  public static KafkaNode startWithSasl(String user, String password) {
    KafkaNode k = new KafkaNode(user, password);
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

  /** The SASL_PLAINTEXT listener of a broker started with {@link #startWithSasl}. */
  public String saslBootstrapServers() {
    if (saslPort < 0) {
      throw new IllegalStateException("this broker has no SASL listener");
    }
    return "127.0.0.1:" + saslPort;
  }

  public ChildServer process() {
    return server;
  }

  private void writeConfig(Path dir, int controllerPort, String saslUser, String saslPassword) {
    boolean sasl = saslUser != null;
    String conf = String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort
            + (sasl ? ",SASL_PLAINTEXT://127.0.0.1:" + saslPort : ""),
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + (sasl ? ",SASL_PLAINTEXT://127.0.0.1:" + saslPort : ""),
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT" + (sasl ? ",SASL_PLAINTEXT:SASL_PLAINTEXT" : ""),
        sasl ? "sasl.enabled.mechanisms=PLAIN" : "",
        sasl ? "listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
            + " required username=\"" + saslUser + "\" password=\"" + saslPassword + "\" user_" + saslUser + "=\"" + saslPassword + "\";" : "",
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
