package io.edgewhisk;

import io.edgewhisk.api.ApiServices;
import io.edgewhisk.api.ApiVerticle;
import io.edgewhisk.api.Metrics;
import io.edgewhisk.api.Readiness;
import io.edgewhisk.catalog.Catalog;
import io.edgewhisk.config.ApplianceConfig;
import io.edgewhisk.config.ConfigValues;
import io.edgewhisk.config.HttpsConfig;
import io.edgewhisk.controller.AcceptBurst;
import io.edgewhisk.controller.ActionRunner;
import io.edgewhisk.controller.ActivationEncoding;
import io.edgewhisk.controller.ActivationCompletions;
import io.edgewhisk.controller.ActivationRecorder;
import io.edgewhisk.controller.Controllers;
import io.edgewhisk.controller.EarlyStarts;
import io.edgewhisk.controller.Invocations;
import io.edgewhisk.controller.InvokeFeed;
import io.edgewhisk.controller.ManifestKinds;
import io.edgewhisk.controller.RuntimeKinds;
import io.edgewhisk.controller.Throttles;
import io.edgewhisk.health.CoreHealth;
import io.edgewhisk.invoker.Invoker;
import io.edgewhisk.invoker.InvokerConfig;
import io.edgewhisk.invoker.LogMemory;
import io.edgewhisk.invoker.PodmanInvoker;
import io.edgewhisk.invoker.RuntimesManifest;
import io.edgewhisk.invoker.StartingInvoker;
import io.edgewhisk.log.AppendLog;
import io.edgewhisk.log.FileAppendLog;
import io.edgewhisk.plugin.PluginCatalog;
import io.edgewhisk.plugin.PluginLoader;
import io.edgewhisk.spi.PluginContext;
import io.edgewhisk.spi.TlsMaterial;
import io.edgewhisk.plugin.PluginRuntime;
import io.edgewhisk.plugin.PluginServices;
import io.edgewhisk.plugin.TriggerFiring;
import io.edgewhisk.plugin.ActionInvoking;
import io.edgewhisk.plugin.CoreServices;
import io.edgewhisk.plugin.FleetEntities;
import io.edgewhisk.spi.EntityService;
import io.edgewhisk.store.sqlite.SqliteIdentityService;
import io.edgewhisk.telemetry.HealthRegistry;
import io.edgewhisk.telemetry.ActivationMetrics;
import io.edgewhisk.telemetry.JvmMetrics;
import io.edgewhisk.telemetry.MetricRegistry;
import io.edgewhisk.store.CachingEntityStore;
import io.edgewhisk.store.StateDirectoryLock;
import io.edgewhisk.store.sqlite.SqliteStores;
import io.edgewhisk.tls.TlsFiles;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: opens the state, builds the controller, invoker and API, deploys the API on
 * every event loop and the plugins, and takes it all down again in the reverse order.
 */
public final class Appliance {
  private static final Logger LOG = LoggerFactory.getLogger(Appliance.class);
  private static final int ENTITY_CACHE_ENTRIES = 20_000;

  /** The largest {@code invoker.max-running}. */
  private static final int MAX_RUNNING_ACTIVATIONS = 100_000;

  /** Beyond twice the longest action time limit, how long a remote invocation's record may take (a cold start). */
  private static final long REMOTE_RECORD_GRACE_MS = 60_000;

  private final Vertx vertx;
  private final ApplianceConfig config;
  private final Parts parts;
  private final Readiness readiness;
  private final Invocations invocations;
  private final ApiVerticle api;
  private final TlsMaterial tls;

  private Appliance(Vertx vertx, ApplianceConfig config, Parts parts, Readiness readiness, Invocations invocations,
      ApiVerticle api, TlsMaterial tls) {
    this.vertx = vertx;
    this.config = config;
    this.parts = parts;
    this.readiness = readiness;
    this.invocations = invocations;
    this.api = api;
    this.tls = tls;
  }

  /** Starts everything; the future completes once {@code /ping} answers {@code pong}. */
  public static Future<Appliance> start(Vertx vertx, ApplianceConfig config) {
    Objects.requireNonNull(config, "config");
    StartupSettings settings;
    try {
      settings = StartupSettings.validate(config);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return start(vertx, settings);
  }

  /** {@link #start(Vertx, ApplianceConfig)} with the settings already checked (the plugins found once). */
  public static Future<Appliance> start(Vertx vertx, StartupSettings settings) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(settings, "settings");
    ApplianceConfig config = settings.appliance();
    Readiness readiness = new Readiness();
    // all settings first (a bad one stops start-up having touched nothing), then the state directory's lock,
    // before anything touches containers or files (a second server on this directory must change nothing)
    StateDirectoryLock lock;
    try {
      RecordLimits.check(config, settings.invoker(), settings.log());
      lock = StateDirectoryLock.acquire(config.stateDir());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    List<PluginLoader.SelectedPlugin> plugins = settings.plugins();
    InvokerConfig invokerConfig = settings.invoker();
    RuntimesManifest manifest = settings.manifest();
    Buffer swagger = resource("apiv1swagger.json");
    Parts parts = new Parts();
    parts.lock = lock;
    // the stores and the log are independent and each waits on I/O (SQLite, the log's files): open them
    // together. The invoker is started once the API serves (or by the first invocation): reaching Podman is
    // a good part of a gateway's start-up CPU, and only running actions needs it (StartingInvoker)
    Future<SqliteStores> stores = SqliteStores.open(vertx, config).onSuccess(st -> parts.stores = st);
    Future<AppendLog> log = FileAppendLog.open(vertx, settings.log()).onSuccess(l -> parts.log = l);
    LogMemory logMemory = new LogMemory(invokerConfig.logMemoryBytes());
    // started on the context start-up runs on, whoever begins it: not on a verticle's (the invoke feed's, when
    // a replay begins it), whose undeployment would close the invoker's worker threads before the invoker
    Context startContext = vertx.getOrCreateContext();
    parts.invoker = new StartingInvoker(() -> {
      Promise<Invoker> started = Promise.promise();
      startContext.runOnContext(v -> PodmanInvoker.start(vertx, invokerConfig, manifest, logMemory).onComplete(started));
      return started.future().onSuccess(i -> {
        if (!i.isReady()) {
          LOG.warn("actions cannot run until the container engine is reachable; invocations answer 503");
        }
      });
    }, logMemory, invokerConfig);
    return Future.join(stores, log)
        .compose(all -> wire(vertx, settings, parts, new ManifestKinds(manifest), swagger, readiness,
            new ActivationEncoding(settings.log().maxRecordBytes())))
        .recover(t -> parts.close(vertx).transform(ar -> Future.failedFuture(t)));
  }

  private static Future<Appliance> wire(Vertx vertx, StartupSettings settings, Parts parts, RuntimeKinds kinds,
      Buffer swagger, Readiness readiness, ActivationEncoding encoding) {
    ApplianceConfig config = settings.appliance();
    List<PluginLoader.SelectedPlugin> plugins = settings.plugins();
    Clock clock = Clock.systemUTC();
    CachingEntityStore entities = new CachingEntityStore(parts.stores.entities(), ENTITY_CACHE_ENTRIES);
    entities.onChanged((changes, origin) -> changes.forEach(c ->
        vertx.eventBus().publish(EntityService.CHANGED, FleetEntities.changed(c, origin))));
    Controllers controllers = Controllers.wire(config, entities, kinds, clock);
    ActivationCompletions completions = new ActivationCompletions();
    ActivationRecorder recorder = new ActivationRecorder(vertx, parts.stores.activations(), parts.log, completions, encoding,
        parts.invoker.logMemory());
    MetricRegistry metrics = new MetricRegistry();
    recorder.onRecorded(new ActivationMetrics(metrics)::recorded);
    JvmMetrics.register(metrics);
    metrics.gauge("edgewhisk_activation_store_records", "activation records stored (kept up as they are written"
        + " and removed by retention)", parts.stores.activations()::records);
    metrics.gauge("edgewhisk_activation_store_bytes", "bytes of the SQLite database holding the activation records"
        + " (with its write-ahead log)", parts.stores.activations()::bytes);
    int maxRunning = ConfigValues.intIn(config.raw(), "edgewhisk.invoker.max-running", 1, MAX_RUNNING_ACTIVATIONS);
    AcceptBurst burst = new AcceptBurst(ConfigValues.intIn(config.raw(), "edgewhisk.invoker.burst.accept-rate", 1, 10_000_000),
        ConfigValues.intIn(config.raw(), "edgewhisk.invoker.burst.max-running", 1, MAX_RUNNING_ACTIVATIONS),
        Math.max(1, ConfigValues.duration(config.raw(), "edgewhisk.invoker.burst.max-duration").toMillis()));
    EarlyStarts early = new EarlyStarts();
    Invocations invocations = new Invocations(vertx, entities, controllers.resolver(), new Throttles(clock, metrics), parts.log,
        completions, recorder, config.api().maxPayloadBytes(), parts.invoker::isReady, clock, burst, early);
    HealthRegistry health = new HealthRegistry();
    PluginCatalog pluginCatalog = new PluginCatalog(vertx, parts.stores.subjects(), entities);
    PluginRuntime runtime = new PluginRuntime(plugins, new PluginServices(vertx, config.stateDir(),
        parts.stores.database(), parts.log, metrics, health, pluginCatalog));
    parts.plugins = runtime;
    Catalog catalog = Catalog.create(vertx, entities, clock, settings.catalog(), runtime.catalogPackages());
    parts.services.addAll(CoreServices.bind(vertx, new TriggerFiring(invocations, parts.stores.subjects(),
        new io.edgewhisk.controller.RefusedFires(entities, recorder::record, clock)),
        new SqliteIdentityService(parts.stores.database(), parts.stores.subjects()),
        new FleetEntities(config, entities, parts.stores.subjects(), kinds, clock),
        new ActionInvoking(vertx, invocations, parts.stores.subjects(), parts.stores.activations(), completions,
            2L * config.actionLimits().maxTimeout() + REMOTE_RECORD_GRACE_MS)));
    ActionRunner runner = new ActionRunner(parts.invoker, pluginCatalog, controllers.resolver(), recorder, clock,
        config.actionLimits().sequenceMaxLength());
    InvokeFeed feed = new InvokeFeed(parts.log, parts.stores.subjects(), entities, parts.stores.activations(), runner,
        recorder, maxRunning, InvokeFeed.replaysIn(vertx, config.stateDir()),
        ConfigValues.intIn(config.raw(), "edgewhisk.invoker.max-attempts", 1, 100), burst, early);
    ApiServices services = ApiServices.of(config, parts.stores.subjects(), parts.stores.activations(), controllers,
        invocations, kinds, swagger, build(), readiness,
        new Metrics(parts.log::health, parts.invoker::isReady, invocations::inFlight, recorder::unappended, metrics,
            parts.invoker::poolStats),
        CoreHealth.of(vertx, config, parts.invoker, parts.stores.database(), parts.log, health));
    return runtime.prepare()
        .compose(v -> catalog.install())
        .compose(v -> vertx.deployVerticle(feed))
        .compose(id -> {
          parts.deployments.add(id);
          return runtime.start();
        })
        .compose(started -> tlsMaterial(vertx, config))
        .compose(tls -> deployApi(vertx, services, tls, config.api().eventLoopsHere(), parts.deployments).map(api -> {
          readiness.ready();
          parts.invoker.begin();
          return new Appliance(vertx, config, parts, readiness, invocations, api, tls);
        }));
  }

  private static String build() {
    String v = Appliance.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** What has been started so far, so that a failed start can take it down again. */
  private static final class Parts {
    SqliteStores stores;
    AppendLog log;
    StartingInvoker invoker;
    PluginRuntime plugins;
    StateDirectoryLock lock;
    final List<io.vertx.core.eventbus.MessageConsumer<?>> services = new ArrayList<>();
    final List<String> deployments = new ArrayList<>();

    /**
     * Stops the plugins (while everything they use still runs), unbinds the bus
     * services, undeploys (newest first), then closes invoker, log and stores.
     */
    Future<Void> close(Vertx vertx) {
      Future<Void> chain = plugins == null ? Future.succeededFuture() : plugins.stop();
      for (io.vertx.core.eventbus.MessageConsumer<?> service : services) {
        chain = chain.compose(v -> service.unregister()).recover(t -> Future.succeededFuture());
      }
      List<String> ids = new ArrayList<>(deployments);
      java.util.Collections.reverse(ids);
      for (String id : ids) {
        chain = chain.compose(v -> vertx.undeploy(id)).recover(t -> Future.succeededFuture());
      }
      if (invoker != null) {
        chain = chain.compose(v -> invoker.close()).recover(t -> Future.succeededFuture());
      }
      if (log != null) {
        chain = chain.compose(v -> log.close()).recover(t -> Future.succeededFuture());
      }
      return chain.compose(v -> stores == null ? Future.<Void>succeededFuture() : vertx.<Void>executeBlocking(() -> {
        stores.close();
        return null;
      })).andThen(ar -> {
        if (lock != null) {
          lock.close();
        }
      });
    }
  }

  /** The HTTPS listener's certificate and key (null without HTTPS): read, or made on the first start. */
  private static Future<TlsMaterial> tlsMaterial(Vertx vertx, ApplianceConfig config) {
    HttpsConfig https = config.https();
    if (!https.enabled()) {
      return Future.succeededFuture(null);
    }
    return vertx.executeBlocking(() -> https.certificateFile().isPresent()
        ? TlsFiles.configured(https.certificateFile().get(), https.keyFile().orElseThrow(), HttpsConfig.PREFIX)
        : TlsFiles.selfSigned(config.stateDir().resolve("tls"), https.hostNames()));
  }

  private static Future<ApiVerticle> deployApi(Vertx vertx, ApiServices services, TlsMaterial tls, int instances,
      List<String> deployments) {
    List<ApiVerticle> verticles = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < instances; i++) {
      ApiVerticle v = new ApiVerticle(services, tls);
      verticles.add(v);
      chain = chain.compose(x -> vertx.deployVerticle(v).map(id -> {
        deployments.add(id);
        return null;
      }));
    }
    return chain.map(x -> verticles.get(0));
  }

  /** The API's plain HTTP port (the configured one, or the one chosen for port 0); -1 when plain HTTP is off. */
  public int port() {
    return api.actualPort();
  }

  /** The API's HTTPS port, -1 without HTTPS. */
  public int httpsPort() {
    return api.actualHttpsPort();
  }

  /** The HTTPS listener's certificate (its file and fingerprint), or null without HTTPS. */
  public TlsMaterial tls() {
    return tls;
  }

  public ApplianceConfig config() {
    return config;
  }

  /** Stores of the running appliance, for tests that seed state. */
  public SqliteStores stores() {
    return parts.stores;
  }

  /** Completes once the invoker has been started (reachable or not), which begins after the API is ready. */
  public Future<Void> invokerStarted() {
    return parts.invoker.begin().mapEmpty();
  }

  /** The invocation controller, for tests and benchmarks that call it directly. */
  public Invocations invocations() {
    return invocations;
  }

  /**
   * Stops taking requests, lets those in flight finish (up to the drain timeout), then closes the state.
   * Blocks: call it off the event loop.
   */
  public void stop() throws Exception {
    readiness.draining();
    long timeout = config.api().drainTimeout().toMillis() + 30_000;
    parts.close(vertx).await(timeout, TimeUnit.MILLISECONDS);
    LOG.info("stopped");
  }

  private static Buffer resource(String name) {
    try (InputStream in = Appliance.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
