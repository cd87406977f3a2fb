package io.edgewhisk.api;

import io.edgewhisk.config.ApiConfig;
import io.edgewhisk.config.HttpsConfig;
import io.edgewhisk.json.JsonLimits;
import io.edgewhisk.json.JsonTree;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.spi.TlsMaterial;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Serves OpenWhisk's REST API. Deployed once per event loop; the instances share the listening port.
 */
public final class ApiVerticle extends VerticleBase {
  private static final long MEMORY_CHECK_MS = 2000;
  private static final Pattern ACTION = Pattern.compile("/api/v1/namespaces/[^/]+/actions/.+");
  private static final Pattern TRIGGER = Pattern.compile("/api/v1/namespaces/[^/]+/triggers/.+");
  private final ApiServices services;
  private final TlsMaterial tls;
  private HttpServer server;
  private HttpServer httpsServer;
  private long memoryReturn = -1;

  /** Plain HTTP only. */
  public ApiVerticle(ApiServices services) {
    this(services, null);
  }

  /** With {@code tls} (null: none), an HTTPS listener as {@code edgewhisk.api.https} says. */
  public ApiVerticle(ApiServices services, TlsMaterial tls) {
    this.services = Objects.requireNonNull(services, "services");
    this.tls = tls;
  }

  @Override
  public Future<?> start() {
    ApiConfig api = services.config().api();
    HttpServerOptions options = new HttpServerOptions()
        .setHost(api.listenHost(services.config().dev()))
        .setPort(api.port())
        .setCompressionSupported(false)
        .setTcpNoDelay(true)
        .setMaxInitialLineLength(8192)
        // HTTP/1.1 only: no client of OpenWhisk's API speaks h2c, and one decoder is one to harden
        .setHttp2ClearTextEnabled(false);
    memoryReturn = vertx.setPeriodic(MEMORY_CHECK_MS, t -> returnMemoryAfterBurst());
    return listen(options, new RequestScreen(router()));
  }

  /**
   * Large requests grow the heap; once a burst of them is over, one full collection off the event loop
   * lets the serial collector give the memory back to the system (the launcher's MaxHeapFreeRatio).
   */
  private void returnMemoryAfterBurst() {
    if (services.requestMemory().burstOver()) {
      vertx.executeBlocking(() -> {
        System.gc();
        return null;
      }, false);
    }
  }

  /**
   * Plain HTTP and HTTPS serve the same screened router with the same options and the same connection
   * guard (HTTPS on its own port).
   */
  private Future<?> listen(HttpServerOptions options, RequestScreen screen) {
    HttpsConfig https = services.config().https();
    Future<?> plain = Future.succeededFuture();
    if (https.plainHttp()) {
      server = guarded(options, screen);
      plain = server.requestHandler(screen).listen();
    }
    if (tls == null) {
      return plain;
    }
    httpsServer = guarded(new HttpServerOptions(options).setPort(https.port()).setSsl(true)
        .setKeyCertOptions(tls.keyCertOptions()), screen);
    return plain.compose(x -> httpsServer.requestHandler(screen).listen());
  }

  private HttpServer guarded(HttpServerOptions options, RequestScreen screen) {
    ConnectionGuard guard = new ConnectionGuard(services.openConnections(), services.config().api(), options);
    return vertx.createHttpServer(options)
        .connectionHandler(guard::accept)
        .invalidRequestHandler(screen::invalid);
  }

  /** The plain HTTP port actually bound (useful when configured as 0), -1 when plain HTTP is off. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  /** The HTTPS port actually bound, -1 without HTTPS. */
  public int actualHttpsPort() {
    return httpsServer == null ? -1 : httpsServer.actualPort();
  }

  Router router() {
    ApiConfig api = services.config().api();
    Router router = Router.router(vertx);
    ErrorMapper errors = new ErrorMapper(api.maxBodyBytes());
    router.route().handler(new TransactionIds());
    router.route().handler(ApiVerticle::watchResponseEnd);
    router.route().handler(new HttpMetrics(services.metrics().registry()));
    new InfoRoutes(services.config().namespaceDefaults(), services.config().actionLimits(), services.kinds(),
        services.swagger(), services.build(), services.readiness()).mount(router);
    new MetricsRoutes(services.metrics(), services.readiness()).mount(router);
    new HealthRoutes(services.health()).mount(router);
    JsonTree json = new JsonTree(new JsonLimits(api.maxBodyBytes(), api.maxJsonValues(), JsonLimits.DEFAULT_DEPTH,
        (int) Math.min(Integer.MAX_VALUE, api.maxBodyBytes())));
    router.routeWithRegex("/api/v1/namespaces(/.*)?").handler(new BasicAuth(services.subjects()));
    router.routeWithRegex("/api/v1/namespaces/.*").handler(new RequestBody(ctx -> bodyLimit(ctx, api), services.requestMemory(), json, true));
    for (Routes r : List.of(
        new NamespaceRoutes(services.subjects()),
        new ActionRoutes(services.actions(), services.lister(), services.activator()),
        new PackageRoutes(services.packages(), services.lister()),
        new TriggerRoutes(services.triggers(), services.lister(), services.activator()),
        new RuleRoutes(services.rules(), services.lister()),
        new ActivationRoutes(services.activations()))) {
      r.mount(router);
    }
    MethodTable methods = new MethodTable(router);
    new WebRoutes(services.webActions(), services.subjects(), api.maxPayloadBytes(),
        new RequestBody(ctx -> api.maxPayloadBytes(), services.requestMemory(), json, false)).mount(router);
    router.route().last().handler(ctx -> {
      String allow = methods.allowed(ctx.normalizedPath());
      if (allow == null) {
        ctx.fail(WhiskException.notFound());
        return;
      }
      ctx.response().putHeader("Allow", allow);
      ctx.fail(new WhiskException(405, "HTTP method not allowed, supported methods: " + allow));
    });
    router.route().failureHandler(errors);
    for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
      router.errorHandler(status, errors);
    }
    return router;
  }

  /** Tells the connection's watch when the response is done, so that its idle time starts. */
  private static void watchResponseEnd(RoutingContext ctx) {
    ConnectionWatch watch = ConnectionGuard.watch(ctx.request());
    if (watch != null) {
      ctx.addEndHandler(ar -> watch.responseEnded());
    }
    ctx.next();
  }

  /**
   * The largest body a request may carry: an action's PUT carries code; an invocation or a trigger
   * fire carries a payload (OpenWhisk's 1 MB); any other PUT or POST carries an entity without code.
   */
  static long bodyLimit(RoutingContext ctx, ApiConfig api) {
    String path = ctx.normalizedPath();
    HttpMethod method = ctx.request().method();
    if (method == HttpMethod.PUT && ACTION.matcher(path).matches()) {
      return api.maxBodyBytes();
    }
    if (method == HttpMethod.POST && (ACTION.matcher(path).matches() || TRIGGER.matcher(path).matches())) {
      return api.maxPayloadBytes();
    }
    return api.maxEntityBytes();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(memoryReturn);
    long drain = services.config().api().drainTimeout().toMillis();
    Future<Void> plain = server == null ? Future.succeededFuture() : server.shutdown(drain, java.util.concurrent.TimeUnit.MILLISECONDS);
    Future<Void> secure = httpsServer == null ? Future.succeededFuture() : httpsServer.shutdown(drain, java.util.concurrent.TimeUnit.MILLISECONDS);
    return Future.join(plain, secure);
  }
}
