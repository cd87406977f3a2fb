package io.edgewhisk.sync;

import io.edgewhisk.spi.PluginContext;
import io.edgewhisk.sync.couch.CouchClient;
import io.edgewhisk.sync.couch.CouchEndpoint;
import io.edgewhisk.sync.invoker.Completion;
import io.edgewhisk.sync.invoker.InvokerFeed;
import io.edgewhisk.sync.invoker.RemoteInvocation;
import io.edgewhisk.sync.invoker.RemoteInvoker;
import io.edgewhisk.sync.link.Backoff;
import io.edgewhisk.sync.link.LinkState;
import io.edgewhisk.sync.pull.ChangesFollower;
import io.edgewhisk.sync.pull.FleetPull;
import io.edgewhisk.sync.push.CouchDelivery;
import io.edgewhisk.sync.push.KafkaClientProperties;
import io.edgewhisk.sync.push.KafkaDelivery;
import io.edgewhisk.sync.push.KafkaLink;
import io.edgewhisk.sync.push.PushLoop;
import io.edgewhisk.sync.state.PullState;
import io.edgewhisk.sync.status.DeviceStatus;
import io.edgewhisk.sync.status.StatusPublisher;
import io.edgewhisk.sync.status.StatusStore;
import io.edgewhisk.sync.status.SyncMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fleet sync, wired: pull (whisks and subjects feeds) and push (CouchDB activations, Kafka events) over
 * the SPI, remote invocation from the central controller, and the device status. Composition only; every part is
 * its own class.
 */
public final class SyncVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SyncVerticle.class);

  private final PluginContext plugin;
  private final SyncConfig config;
  private final String version;
  private final Clock clock = Clock.systemUTC();
  private final List<PushLoop> pushes = new ArrayList<>();
  private final List<CouchClient> clients = new ArrayList<>();
  private FleetPull pull;
  private KafkaLink kafka;
  private Map<String, Object> kafkaProperties;
  private RemoteInvocation remote;
  private InvokerFeed invokerFeed;
  private StatusPublisher publisher;

  public SyncVerticle(PluginContext plugin, SyncConfig config, String version) {
    this.plugin = Objects.requireNonNull(plugin, "plugin");
    this.config = Objects.requireNonNull(config, "config");
    this.version = Objects.requireNonNull(version, "version");
  }

  @Override
  public Future<?> start() {
    LOG.info("fleet sync: {}", String.join(", ", config.describe()));
    return password().compose(pw -> kafkaLink().map(pw)).compose(this::startLinks);
  }

  /** The CouchDB password from its file, read off the event loop; never logged. */
  private Future<String> password() {
    if (config.couch().passwordFile() == null) {
      return Future.succeededFuture(null);
    }
    String file = config.couch().passwordFile().toString();
    return vertx.fileSystem().readFile(file).map(Buffer::toString).map(s -> s.strip())
        .recover(e -> Future.failedFuture(new IllegalStateException(
            "edgewhisk.sync.couchdb.password-file: cannot read " + file + ": " + e.getMessage())));
  }

  /**
   * The Kafka producer with the client properties (the file's and the config's), made off the event loop (the
   * file is read, and the producer's constructor loads classes and registers metrics).
   */
  private Future<Void> kafkaLink() {
    if (!config.kafka().configured()) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      Map<String, Object> properties = KafkaClientProperties.load(config.kafka().propertiesFile(), config.kafka().properties());
      kafkaProperties = properties;
      kafka = new KafkaLink(config.kafka().bootstrapServers(), properties, "edgewhisk-" + config.deviceId(),
          config.kafka().deliveryTimeout().toMillis());
      return null;
    });
  }

  private Future<?> startLinks(String password) {
    SyncMetrics metrics = new SyncMetrics(plugin.telemetry());
    PullState state = new PullState(plugin.database());
    long backoffInitial = config.backoffInitial().toMillis();
    long backoffMax = config.backoffMax().toMillis();
    CouchClient statusCouch = null;
    if (config.couch().configured()) {
      CouchEndpoint endpoint = new CouchEndpoint(config.couch().url(), config.couch().username(), password);
      CouchClient pullCouch = client(endpoint);
      CouchClient pushCouch = client(endpoint);
      statusCouch = pushCouch;
      SyncConfig.Pull p = config.pull();
      pull = new FleetPull(vertx, pullCouch, plugin.entities(), plugin.identities(), state,
          config.fleet(), metrics,
          new FleetPull.Settings(config.couch().whisksDb(), config.couch().subjectsDb(),
              new ChangesFollower.Settings(p.batchSize(), p.longpollTimeout().toMillis(), p.heartbeat().toMillis()),
              p.attachmentAttempts(), p.attachmentFirstDelay().toMillis(), p.maxRetries(), backoffInitial, backoffMax,
              backoffMax),
          new LinkState("couchdb-pull", clock), clock);
      pushes.add(new PushLoop(vertx, plugin.log(), "push-couchdb", config.push().batchSize(), config.push().linger().toMillis(),
          new CouchDelivery(vertx, pushCouch, config.couch().activationsDb(), config.deviceId(), plugin.log(),
              config.push().documentAttempts(), metrics),
          new Backoff(backoffInitial, backoffMax, new Random()), new LinkState("couchdb-push", clock)));
    }
    if (kafka != null) {
      pushes.add(new PushLoop(vertx, plugin.log(), "push-kafka", config.push().kafkaBatchSize(), config.push().linger().toMillis(),
          new KafkaDelivery(kafka, config.kafka().eventsTopic(), config.deviceId(), plugin.identities()),
          new Backoff(backoffInitial, backoffMax, new Random()), new LinkState("kafka", clock)));
    }
    DeviceStatus status = new DeviceStatus(config, version, pull, pushes, state, clock);
    publisher = new StatusPublisher(vertx, status, new StatusStore(plugin.database()), plugin.telemetry().health("link"),
        metrics, statusCouch, config.couch().devicesDb(), kafka, config.kafka().statusTopic(), config.maxBacklogAge(), clock);
    if (pull != null) {
      pull.start();
    }
    if (kafka != null && config.remoteInvocation().enabled()) {
      startRemoteInvocation(metrics, backoffInitial, backoffMax);
    }
    Future<Void> started = Future.succeededFuture();
    for (PushLoop loop : pushes) {
      started = started.compose(v -> loop.start());
    }
    return started.onSuccess(v -> publisher.start(config.statusInterval()));
  }

  /** The consumer of this device's invoker topic, answering on {@code completed<N>} through the producer. */
  private void startRemoteInvocation(SyncMetrics metrics, long backoffInitial, long backoffMax) {
    SyncConfig.RemoteInvocation r = config.remoteInvocation();
    RemoteInvoker invoker = new RemoteInvoker(config.fleet(),
        plugin.identities(), plugin.invocations(), config.deviceId(), Completion.instance(r.invokerInstance(), r.userMemory()),
        clock);
    remote = new RemoteInvocation(vertx, invoker, kafka, r.topicPrefix(), r.maxCompletionBytes(),
        new Backoff(backoffInitial, backoffMax, new Random()), metrics::remoteInvocation);
    Map<String, Object> properties = new HashMap<>(kafkaProperties);
    properties.put("bootstrap.servers", config.kafka().bootstrapServers());
    properties.put("group.id", r.groupId());
    properties.put("client.id", "edgewhisk-invoker-" + config.deviceId());
    // static membership: a gateway restarted after a crash takes its partitions back at once, instead of waiting
    // for the group to time the dead consumer out (45 s by default) before anything runs again
    properties.put("group.instance.id", "edgewhisk-invoker-" + config.deviceId());
    invokerFeed = new InvokerFeed(r.topic(), properties, context, remote::handle, r.maxRunning(),
        new Backoff(backoffInitial, backoffMax, new Random()));
    invokerFeed.start();
  }

  private CouchClient client(CouchEndpoint endpoint) {
    CouchClient c = new CouchClient(vertx, endpoint, config.couch().requestTimeout(), config.couch().maxConnections());
    clients.add(c);
    return c;
  }

  @Override
  public Future<?> stop() {
    if (pull != null) {
      pull.stop();
    }
    if (publisher != null) {
      publisher.stop();
    }
    if (remote != null) {
      remote.stop();
    }
    Future<Void> stopped = invokerFeed == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
      invokerFeed.close();
      return null;
    });
    for (PushLoop loop : pushes) {
      stopped = stopped.compose(v -> loop.stop());
    }
    return stopped
        .compose(v -> publisher == null ? Future.succeededFuture() : publisher.publish().otherwiseEmpty())
        .compose(v -> Future.all(clients.stream().map(CouchClient::close).toList()))
        .compose(v -> kafka == null ? Future.succeededFuture()
            : vertx.executeBlocking(() -> {
              kafka.close();
              return null;
            }));
  }

}
