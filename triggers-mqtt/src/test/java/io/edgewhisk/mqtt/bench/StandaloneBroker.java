package io.edgewhisk.mqtt.bench;

import com.typesafe.config.ConfigFactory;
import io.edgewhisk.mqtt.MqttBrokerVerticle;
import io.edgewhisk.mqtt.config.MqttConfig;
import io.edgewhisk.mqtt.store.SqliteBrokerStore;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The embedded broker alone in its own JVM, for the benchmark (so the load generator does not share its
 * process): anonymous access, the durable SQLite store in the given directory. Args: PORT STATE_DIR.
 */
public final class StandaloneBroker {
  private StandaloneBroker() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    Files.createDirectories(dir);
    MqttConfig config = MqttConfig.from(ConfigFactory.parseMap(Map.of("port", Integer.parseInt(args[0]),
        "host", "127.0.0.1", "allow-anonymous", true, "anonymous-rules", List.of("allow all #", "allow subscribe $SYS/#")))
        .withFallback(ConfigFactory.load().getConfig("edgewhisk.mqtt")));
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(new MqttBrokerVerticle(config, dir, ctx -> new SqliteBrokerStore(dir.resolve("broker.db"), ctx),
        MqttBrokerVerticle.BrokerExtensions.NONE)).await();
    System.out.println("ready");
  }
}
