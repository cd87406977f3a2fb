package io.edgewhisk.mqtt.it;

import com.typesafe.config.ConfigFactory;
import io.edgewhisk.mqtt.MqttBrokerVerticle;
import io.edgewhisk.mqtt.config.MqttConfig;
import io.edgewhisk.mqtt.security.DeviceUsers;
import io.edgewhisk.mqtt.store.BrokerStore;
import io.edgewhisk.mqtt.store.InMemoryBrokerStore;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A broker verticle on a free port with a user {@code dev}/{@code secret}, for tests with real clients. */
public final class EmbeddedBroker implements AutoCloseable {
  public static final String USER = "dev";
  public static final String PASSWORD = "secret";
  public final Vertx vertx;
  public final Path stateDir;
  public final MqttBrokerVerticle verticle;
  private final String deployment;

  private EmbeddedBroker(Vertx vertx, Path stateDir, MqttBrokerVerticle verticle, String deployment) {
    this.vertx = vertx;
    this.stateDir = stateDir;
    this.verticle = verticle;
    this.deployment = deployment;
  }

  public static EmbeddedBroker start(Map<String, Object> overrides) throws Exception {
    return start(overrides, ctx -> new InMemoryBrokerStore(), null);
  }

  public static EmbeddedBroker start(Map<String, Object> overrides, Function<Context, BrokerStore> store,
                                     Path reuseStateDir) throws Exception {
    Path dir = reuseStateDir != null ? reuseStateDir : Files.createTempDirectory(Path.of("target"), "mqtt-state");
    DeviceUsers users = new DeviceUsers(MqttBrokerVerticle.usersFile(dir));
    if (!users.read().containsKey(USER)) {
      users.put(USER, PASSWORD.toCharArray(), List.of());
    }
    java.util.HashMap<String, Object> all = new java.util.HashMap<>();
    all.put("edgewhisk.mqtt.port", 0);
    all.put("edgewhisk.mqtt.host", "127.0.0.1");
    overrides.forEach(all::put);
    MqttConfig config = MqttConfig.from(ConfigFactory.parseMap(all).withFallback(ConfigFactory.load()).getConfig("edgewhisk.mqtt"));
    Vertx vertx = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(
        TimeUnit.MILLISECONDS));
    MqttBrokerVerticle verticle = new MqttBrokerVerticle(config, dir, store, MqttBrokerVerticle.BrokerExtensions.NONE);
    String id = vertx.deployVerticle(verticle).await();
    return new EmbeddedBroker(vertx, dir, verticle, id);
  }

  public int port() {
    return verticle.server().port();
  }

  public String tcpUrl() {
    return "tcp://127.0.0.1:" + port();
  }

  /** Runs on the broker's loop and waits for the answer (to read broker state from a test). */
  public <T> T onLoop(java.util.concurrent.Callable<T> work) throws Exception {
    java.util.concurrent.CompletableFuture<T> f = new java.util.concurrent.CompletableFuture<>();
    verticle.brokerContext().runOnContext(v -> {
      try {
        f.complete(work.call());
      } catch (Exception e) {
        f.completeExceptionally(e);
      }
    });
    return f.get(10, TimeUnit.SECONDS);
  }

  public void stopKeepingState() throws Exception {
    vertx.undeploy(deployment).await();
    vertx.close().await();
  }

  @Override
  public void close() throws Exception {
    try {
      vertx.close().await();
    } finally {
      try (var files = Files.walk(stateDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
