package io.edgewhisk.invoker;

import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationRequest;
import io.edgewhisk.model.WhiskException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invoker on Podman: reaches (or starts) Podman's REST service, removes containers an earlier run of
 * this appliance left, and runs activations through a {@link ContainerPool} that lives on a verticle's
 * context of its own. When Podman cannot be had it still starts, not ready, and answers every invocation
 * with 503.
 */
public final class PodmanInvoker implements Invoker {
  private static final Logger LOG = LoggerFactory.getLogger(PodmanInvoker.class);

  private final Vertx vertx;
  private final InvokerConfig config;
  private final ContainerEngine engine;
  private final PodmanService service;
  private final ContainerPool pool;
  private final String deploymentId;
  private final String problem;
  private final LogMemory logMemory;
  private volatile Future<Void> closing;

  private PodmanInvoker(Vertx vertx, InvokerConfig config, ContainerEngine engine, PodmanService service,
      ContainerPool pool, String deploymentId, String problem, LogMemory logMemory) {
    this.vertx = vertx;
    this.config = config;
    this.engine = engine;
    this.service = service;
    this.pool = pool;
    this.deploymentId = deploymentId;
    this.problem = problem;
    this.logMemory = logMemory;
  }

  /** Starts the invoker with the manifest named in {@code config} (or the built-in one). */
  public static Future<Invoker> start(Vertx vertx, InvokerConfig config) {
    RuntimesManifest manifest;
    try {
      manifest = RuntimesManifest.load(config.runtimesManifest());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return start(vertx, config, manifest);
  }

  public static Future<Invoker> start(Vertx vertx, InvokerConfig config, RuntimesManifest manifest) {
    return start(vertx, config, manifest, new LogMemory(config.logMemoryBytes()));
  }

  /**
   * Starts the invoker with {@code logMemory} as the budget of its activations' logs (made before, so that
   * the recorder can be wired while this start goes on). Never fails: an invoker that could not be started
   * is one that is not ready, with the reason.
   */
  public static Future<Invoker> start(Vertx vertx, InvokerConfig config, RuntimesManifest manifest,
      LogMemory logMemory) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(manifest, "manifest");
    return vertx.<PodmanService>executeBlocking(() -> ensureService(config), false)
        .transform(ar -> {
          if (ar.failed()) {
            return Future.succeededFuture(notReady(vertx, config, null, ar.cause().getMessage(), logMemory));
          }
          PodmanService service = ar.result();
          // docker-java's set-up loads and initializes much (Jackson, HTTP client): not on an event loop
          return vertx.<ContainerEngine>executeBlocking(() -> new PodmanContainerEngine(vertx, config.podmanSocket(),
              config.dockerApiVersion(), config.engineThreads(), config.logPipes()), false)
              .transform(engine -> engine.failed()
                  ? Future.succeededFuture(notReady(vertx, config, service,
                      "docker-java could not be set up (" + engine.cause().getMessage() + ")", logMemory))
                  : afterPing(vertx, config, manifest, engine.result(), service, logMemory));
        });
  }

  private static Future<Invoker> afterPing(Vertx vertx, InvokerConfig config, RuntimesManifest manifest,
      ContainerEngine engine, PodmanService service, LogMemory logMemory) {
    return engine.ping().transform(ping -> ping.failed()
        ? engine.close().otherwiseEmpty().map(v -> notReady(vertx, config, service,
            "Podman does not answer on " + config.podmanSocket() + " (" + ping.cause().getMessage() + ")", logMemory))
        : start(vertx, config, manifest, engine, service, logMemory)
            .recover(t -> engine.close().otherwiseEmpty().map(v -> notReady(vertx, config, service,
                "the container pool could not start (" + t.getMessage() + ")", logMemory))));
  }

  /**
   * Starts the invoker on a given engine (a test's fake, or an engine made elsewhere); {@code service}
   * may be null. Removes this instance's leftover containers first.
   */
  static Future<Invoker> start(Vertx vertx, InvokerConfig config, RuntimesManifest manifest, ContainerEngine engine,
      PodmanService service) {
    return start(vertx, config, manifest, engine, service, new LogMemory(config.logMemoryBytes()));
  }

  private static Future<Invoker> start(Vertx vertx, InvokerConfig config, RuntimesManifest manifest,
      ContainerEngine engine, PodmanService service, LogMemory logMemory) {
    Promise<ContainerPool> made = Promise.promise();
    VerticleBase verticle = new VerticleBase() {
      @Override
      public Future<?> start() {
        ContainerProxy.Parts parts = new ContainerProxy.Parts(vertx, context, engine,
            new ActionProxyClient(vertx, 512), config, logMemory);
        ContainerPool pool = new ContainerPool(parts, manifest);
        return removeLeftovers(engine, config, true).onSuccess(v -> {
          pool.start();
          made.complete(pool);
        });
      }
    };
    return vertx.deployVerticle(verticle).compose(id -> made.future().map(pool -> (Invoker)
        new PodmanInvoker(vertx, config, engine, service, pool, id, null, logMemory)));
  }

  /**
   * Removes the containers of this instance that an earlier run left behind ({@code atStart}), or that are
   * still there at close (a removal under way, a start that raced the close).
   */
  static Future<Void> removeLeftovers(ContainerEngine engine, InvokerConfig config, boolean atStart) {
    return engine.list(ContainerPool.labels(config)).compose(ids -> {
      if (!ids.isEmpty() && atStart) {
        LOG.info("Removing {} container(s) left by an earlier run of instance {}", ids.size(), config.instanceId());
      }
      List<Future<Void>> removed = new ArrayList<>();
      ids.forEach(id -> removed.add(engine.remove(id)));
      // then the networks of those containers (each container has one of its own)
      return Future.join(removed).transform(ar -> engine.removeNetworks(ContainerPool.labels(config)));
    });
  }

  private static PodmanService ensureService(InvokerConfig config) throws Exception {
    Path socket = config.podmanSocket();
    if (Files.exists(socket)) {
      return null;
    }
    Path podman = PodmanService.podmanCommand();
    if (!config.startPodmanService()) {
      throw new IllegalStateException("Podman's socket " + socket + " does not exist and start-podman-service is off");
    }
    if (podman == null) {
      throw new IllegalStateException("Podman's socket " + socket + " does not exist and the podman command is not installed");
    }
    PodmanService service = PodmanService.start(podman, socket);
    LOG.info("Started `podman system service` on {} (pid {})", socket, service.pid());
    return service;
  }

  private static Invoker notReady(Vertx vertx, InvokerConfig config, PodmanService service, String why,
      LogMemory logMemory) {
    String sentence = "Actions cannot run: " + why + ".";
    LOG.error(sentence);
    return new PodmanInvoker(vertx, config, null, service, null, null, sentence, logMemory);
  }

  @Override
  public Future<Activation> invoke(ActivationRequest request) {
    return invoke(request, a -> { });
  }

  @Override
  public Future<Activation> invoke(ActivationRequest request, java.util.function.Consumer<Activation> onResult) {
    if (pool == null) {
      return Future.failedFuture(WhiskException.unavailable(problem));
    }
    if (closing != null) {
      return Future.failedFuture(WhiskException.unavailable("The invoker is shutting down."));
    }
    return pool.invoke(request, onResult);
  }

  @Override
  public boolean isReady() {
    return pool != null && closing == null;
  }

  @Override
  public Future<Void> ping() {
    if (pool == null) {
      return Future.failedFuture(new IllegalStateException(problem));
    }
    if (closing != null) {
      return Future.failedFuture(new IllegalStateException("the invoker is shutting down"));
    }
    return engine.ping().recover(t -> Future.failedFuture(new IllegalStateException(
        "Podman does not answer on " + config.podmanSocket() + " (" + t.getMessage() + ")")));
  }

  @Override
  public PoolStats poolStats() {
    return pool == null ? PoolStats.NONE : pool.stats();
  }

  /** Why the invoker is not ready, or null when it is. */
  public String problem() {
    return problem;
  }

  @Override
  public LogMemory logMemory() {
    return logMemory;
  }

  /** The pool (for tests on this package). */
  ContainerPool pool() {
    return pool;
  }

  @Override
  public synchronized Future<Void> close() {
    if (closing != null) {
      return closing;
    }
    Future<Void> f = Future.succeededFuture();
    if (pool != null) {
      f = closePool()
          .eventually(() -> removeLeftovers(engine, config, false))
          .eventually(() -> vertx.undeploy(deploymentId))
          .eventually(engine::close);
    }
    if (service != null) {
      f = f.eventually(() -> vertx.executeBlocking(() -> {
        service.stop();
        return null;
      }, false));
    }
    closing = f.otherwiseEmpty();
    return closing;
  }

  private Future<Void> closePool() {
    Promise<Void> p = Promise.promise();
    pool.context().runOnContext(v -> pool.close().onComplete(p));
    return p.future();
  }
}
