package io.edgewhisk.api;

import io.edgewhisk.config.ApiConfig;
import io.edgewhisk.config.HttpsConfig;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.spi.TlsMaterial;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Objects;

/**
 * Serves OpenWhisk's REST API. Deployed once per event loop; the instances share the listening port.
 */
public final class ApiVerticle extends VerticleBase {
  private final ApiServices services;
  private final TlsMaterial tls;
  private HttpServer server;
  private HttpServer httpsServer;

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
        .setHost(api.host())
        .setPort(api.port())
        .setCompressionSupported(false)
        .setTcpNoDelay(true)
        .setMaxInitialLineLength(8192);
    return listen(options, router());
  }

  /** Plain HTTP and HTTPS serve the same router with the same options (HTTPS on its own port). */
  private Future<?> listen(HttpServerOptions options, Router router) {
    HttpsConfig https = services.config().https();
    Future<?> plain = Future.succeededFuture();
    if (https.plainHttp()) {
      server = vertx.createHttpServer(options);
      plain = server.requestHandler(router).listen();
    }
    if (tls == null) {
      return plain;
    }
    httpsServer = vertx.createHttpServer(new HttpServerOptions(options).setPort(https.port()).setSsl(true)
        .setKeyCertOptions(tls.keyCertOptions()));
    return plain.compose(x -> httpsServer.requestHandler(router).listen());
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
    new InfoRoutes(services.config().namespaceDefaults(), services.config().actionLimits(), services.kinds(),
        services.swagger(), services.build(), services.readiness()).mount(router);
    new MetricsRoutes(services.metrics(), services.readiness()).mount(router);
    router.routeWithRegex("/api/v1/namespaces(/.*)?").handler(new BasicAuth(services.subjects()));
    router.routeWithRegex("/api/v1/namespaces/.*").handler(BodyHandler.create(false).setBodyLimit(api.maxBodyBytes()));
    for (Routes r : List.of(
        new NamespaceRoutes(services.subjects()),
        new ActionRoutes(services.actions(), services.lister(), services.activator()),
        new PackageRoutes(services.packages(), services.lister()),
        new TriggerRoutes(services.triggers(), services.lister(), services.activator()),
        new RuleRoutes(services.rules(), services.lister()),
        new ActivationRoutes(services.activations()),
        new WebRoutes(services.webActions(), services.subjects(), api.maxPayloadBytes()))) {
      r.mount(router);
    }
    router.route().last().handler(ctx -> ctx.fail(WhiskException.notFound()));
    router.route().failureHandler(errors);
    for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
      router.errorHandler(status, errors);
    }
    return router;
  }

  @Override
  public Future<?> stop() {
    long drain = services.config().api().drainTimeout().toMillis();
    Future<Void> plain = server == null ? Future.succeededFuture() : server.shutdown(drain, java.util.concurrent.TimeUnit.MILLISECONDS);
    Future<Void> secure = httpsServer == null ? Future.succeededFuture() : httpsServer.shutdown(drain, java.util.concurrent.TimeUnit.MILLISECONDS);
    return Future.join(plain, secure);
  }
}
