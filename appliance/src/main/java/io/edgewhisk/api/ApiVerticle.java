package io.edgewhisk.api;

import io.edgewhisk.config.ApiConfig;
import io.edgewhisk.model.WhiskException;
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
  private HttpServer server;

  public ApiVerticle(ApiServices services) {
    this.services = Objects.requireNonNull(services, "services");
  }

  @Override
  public Future<?> start() {
    ApiConfig api = services.config().api();
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(api.host())
        .setPort(api.port())
        .setCompressionSupported(false)
        .setTcpNoDelay(true)
        .setMaxInitialLineLength(8192));
    return server.requestHandler(router()).listen();
  }

  /** The port actually bound (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  Router router() {
    ApiConfig api = services.config().api();
    Router router = Router.router(vertx);
    ErrorMapper errors = new ErrorMapper(api.maxBodyBytes());
    router.route().handler(new TransactionIds());
    new InfoRoutes(services.config().namespaceDefaults(), services.config().actionLimits(), services.kinds(),
        services.swagger(), services.build(), services.readiness()).mount(router);
    router.routeWithRegex("/api/v1/namespaces(/.*)?").handler(new BasicAuth(services.subjects()));
    router.routeWithRegex("/api/v1/namespaces/.*").handler(BodyHandler.create(false).setBodyLimit(api.maxBodyBytes()));
    for (Routes r : List.of(
        new NamespaceRoutes(services.subjects()),
        new ActionRoutes(services.actions(), services.lister(), services.activator()),
        new PackageRoutes(services.packages(), services.lister()),
        new TriggerRoutes(services.triggers(), services.lister(), services.activator()),
        new RuleRoutes(services.rules(), services.lister()),
        new ActivationRoutes(services.activations()))) {
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
    return server == null ? Future.succeededFuture() : server.shutdown(services.config().api().drainTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }
}
