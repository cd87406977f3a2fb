package io.edgewhisk.mqtt;

import io.edgewhisk.mqtt.broker.Broker;
import io.edgewhisk.mqtt.broker.BrokerLimits;
import io.edgewhisk.mqtt.broker.BrokerStats;
import io.edgewhisk.mqtt.broker.SysTopics;
import io.edgewhisk.mqtt.config.MqttConfig;
import io.edgewhisk.mqtt.security.AccessRules;
import io.edgewhisk.mqtt.security.Authenticator;
import io.edgewhisk.mqtt.security.DeviceUsers;
import io.edgewhisk.mqtt.server.MqttServer;
import io.edgewhisk.mqtt.store.BrokerStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded broker as one verticle: its event loop runs every connection and the broker's state, so a
 * session's work happens in order with no locks. Composition root of the plugin's parts.
 */
public final class MqttBrokerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MqttBrokerVerticle.class);
  private final MqttConfig config;
  private final Path stateDir;
  private final Function<io.vertx.core.Context, BrokerStore> storeFactory;
  private final BrokerExtensions extensions;
  private final LongSupplier clock = System::currentTimeMillis;
  private BrokerStore store;
  private Broker broker;
  private MqttServer server;
  private long sysTimer = -1;

  public MqttBrokerVerticle(MqttConfig config, Path stateDir, Function<io.vertx.core.Context, BrokerStore> storeFactory,
                            BrokerExtensions extensions) {
    this.config = Objects.requireNonNull(config, "config");
    this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
    this.storeFactory = Objects.requireNonNull(storeFactory, "storeFactory");
    this.extensions = Objects.requireNonNull(extensions, "extensions");
  }

  /** The device users' file in the plugin's data directory. */
  public static Path usersFile(Path dataDir) {
    return dataDir.resolve("users.json");
  }

  @Override
  public Future<?> start() {
    store = storeFactory.apply(context);
    BrokerStats stats = new BrokerStats(clock.getAsLong());
    broker = new Broker(vertx, store, new BrokerLimits(config.maxInflight(), config.maxQueuedMessages(),
        config.maxQueuedBytes()), config.maxQueueMemory(), config.maxRetained(), stats, clock);
    Authenticator authenticator = new Authenticator(vertx, new DeviceUsers(usersFile(stateDir)),
        config.allowAnonymous(), AccessRules.parse(config.anonymousRules()), AccessRules.parse(config.userRules()));
    server = new MqttServer(vertx, broker, authenticator, config, clock);
    SysTopics sys = new SysTopics(broker, clock, "EdgeWhisk");
    return broker.restore().compose(v -> extensions.start(broker, context)).compose(v -> server.start()).map(v -> {
      sys.publish();
      sysTimer = vertx.setPeriodic(config.sysInterval().toMillis(), t -> sys.publish());
      LOG.info("MQTT broker listening on {}:{}{}", config.host(), server.port(),
          config.tlsEnabled() ? " and TLS on " + server.tlsPort() : "");
      return null;
    });
  }

  /** The broker's event-loop context: broker state may be touched only there. */
  public io.vertx.core.Context brokerContext() {
    return context;
  }

  public Broker broker() {
    return broker;
  }

  public MqttServer server() {
    return server;
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sysTimer);
    // the bridges first: their last acknowledgements still reach the outboxes, whose log closes after plugins stop
    return extensions.stop().eventually(() -> server.stop()).eventually(() -> store.close());
  }

  /** What the plugin adds around the broker through the SPI (feed, publish action, bridges, metrics); none in tests. */
  public interface BrokerExtensions {
    BrokerExtensions NONE = (broker, context) -> Future.succeededFuture();

    /** Called on the broker's context once its state is restored, before it listens. */
    Future<Void> start(Broker broker, io.vertx.core.Context context);

    /** Called on the broker's context when the plugin stops, before the listeners close. */
    default Future<Void> stop() {
      return Future.succeededFuture();
    }
  }
}
