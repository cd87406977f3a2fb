package io.edgewhisk;

import io.edgewhisk.api.ApiServices;
import io.edgewhisk.api.ApiVerticle;
import io.edgewhisk.api.Readiness;
import io.edgewhisk.config.ApplianceConfig;
import io.edgewhisk.controller.RuntimeKinds;
import io.edgewhisk.plugin.PluginLoader;
import io.edgewhisk.spi.PluginContext;
import io.edgewhisk.store.CachingEntityStore;
import io.edgewhisk.store.sqlite.SqliteStores;
import io.vertx.core.Future;
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

  private final Vertx vertx;
  private final ApplianceConfig config;
  private final SqliteStores stores;
  private final Readiness readiness;
  private final List<String> deployments;
  private final int port;

  private Appliance(Vertx vertx, ApplianceConfig config, SqliteStores stores, Readiness readiness,
      List<String> deployments, int port) {
    this.vertx = vertx;
    this.config = config;
    this.stores = stores;
    this.readiness = readiness;
    this.deployments = deployments;
    this.port = port;
  }

  /** Starts everything; the future completes once {@code /ping} answers {@code pong}. */
  public static Future<Appliance> start(Vertx vertx, ApplianceConfig config, RuntimeKinds kinds) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(config, "config");
    Readiness readiness = new Readiness();
    Buffer swagger = resource("apiv1swagger.json");
    String build = Appliance.class.getPackage().getImplementationVersion() == null
        ? "dev" : Appliance.class.getPackage().getImplementationVersion();
    return SqliteStores.open(vertx, config).compose(stores -> {
      ApiServices services = ApiServices.wire(config, stores.subjects(),
          new CachingEntityStore(stores.entities(), ENTITY_CACHE_ENTRIES), stores.activations(), kinds, swagger, build,
          readiness, Clock.systemUTC());
      List<String> deployments = new ArrayList<>();
      return new PluginLoader(Appliance.class.getClassLoader())
          .deployAll(vertx, new PluginContext(config.raw(), config.stateDir()), config.disabledPlugins())
          .compose(plugins -> deployApi(vertx, services, eventLoops(config), deployments))
          .map(port -> {
            readiness.ready();
            return new Appliance(vertx, config, stores, readiness, deployments, port);
          })
          .recover(t -> vertx.executeBlocking(() -> {
            stores.close();
            return null;
          }).transform(ar -> Future.failedFuture(t)));
    });
  }

  private static Future<Integer> deployApi(Vertx vertx, ApiServices services, int instances, List<String> deployments) {
    List<ApiVerticle> verticles = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < instances; i++) {
      ApiVerticle v = new ApiVerticle(services);
      verticles.add(v);
      chain = chain.compose(x -> vertx.deployVerticle(v).map(id -> {
        deployments.add(id);
        return null;
      }));
    }
    return chain.map(x -> verticles.get(0).actualPort());
  }

  private static int eventLoops(ApplianceConfig config) {
    int n = config.api().eventLoops();
    return n > 0 ? n : Runtime.getRuntime().availableProcessors();
  }

  /** The API's port (the configured one, or the one chosen for port 0). */
  public int port() {
    return port;
  }

  public ApplianceConfig config() {
    return config;
  }

  /** Stores of the running appliance, for tests that seed state. */
  public SqliteStores stores() {
    return stores;
  }

  /**
   * Stops taking requests, lets those in flight finish (up to the drain timeout), then closes the state.
   * Blocks: call it off the event loop.
   */
  public void stop() throws Exception {
    readiness.draining();
    long timeout = config.api().drainTimeout().toMillis() + 5000;
    for (String id : deployments) {
      vertx.undeploy(id).await(timeout, TimeUnit.MILLISECONDS);
    }
    stores.close();
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
