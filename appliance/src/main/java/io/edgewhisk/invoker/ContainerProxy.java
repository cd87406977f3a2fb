package io.edgewhisk.invoker;

import io.edgewhisk.config.ActivationMdc;
import io.edgewhisk.invoker.ContainerEngine.ContainerSpec;
import io.edgewhisk.invoker.PoolPolicy.ActionKey;
import io.edgewhisk.model.ActivationRequest;
import io.edgewhisk.model.ActivationResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One action container as an explicit state machine: uninitialized → starting → ready ⇄ running,
 * ready → pausing → paused → (running), and removing from any state. It initializes the container once
 * (for the first activation), runs activations with their time limit, cuts their logs, pauses itself
 * after a grace and tells its owner when it is gone. Confined to the pool's context.
 */
final class ContainerProxy {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerProxy.class);

  enum State { UNINITIALIZED, STARTING, READY, RUNNING, PAUSING, PAUSED, REMOVING }

  /** What one activation in this container came to; {@code initTime} is null when no /init was needed. */
  record RunResult(ActivationResponse response, List<String> logs, long start, long end, Long initTime) {}

  /** An activation that ended before /run answered, with the response to report for it. */
  private static final class Ended extends RuntimeException {
    final ActivationResponse response;
    final boolean containerBroken;

    Ended(ActivationResponse response, boolean containerBroken) {
      super(null, null, false, false);
      this.response = response;
      this.containerBroken = containerBroken;
    }
  }

  /** The shared parts every proxy of a pool uses. */
  record Parts(Vertx vertx, Context context, ContainerEngine engine, ActionProxyClient client, InvokerConfig config,
      LogMemory logMemory) {}

  private final Parts parts;
  private final String name;
  private final String kind;
  private final int memoryMb;
  private final Consumer<ContainerProxy> onGone;
  private final ContainerOutput output;

  private State state = State.UNINITIALIZED;
  /** The start under way (or done): activations the pool gives a container being warmed wait for it. */
  private Future<Void> starting;
  private ActionKey action;
  private int maxConcurrency = 1;
  private String containerId;
  private ContainerEngine.Endpoint endpoint;
  private int active;
  private int peakSinceIdle;
  private long lastUsed = System.currentTimeMillis();
  private boolean initialized;
  private Future<Void> init;
  private boolean dead;
  private long pauseTimer = -1;
  private Future<Void> pausing;
  private Future<Void> resuming;
  private ContainerEngine.LogFollow follow;
  private Future<Void> removal;
  private Future<String> created;
  private String secret;

  ContainerProxy(Parts parts, String name, String kind, int memoryMb, ActionKey action, int maxConcurrency,
      Consumer<ContainerProxy> onGone) {
    this.parts = Objects.requireNonNull(parts, "parts");
    this.name = Objects.requireNonNull(name, "name");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.memoryMb = memoryMb;
    this.onGone = Objects.requireNonNull(onGone, "onGone");
    this.action = action;
    this.maxConcurrency = Math.max(1, maxConcurrency);
    // until its first activation sets the action's own, a container's output is bounded by OpenWhisk's largest limit
    this.output = new ContainerOutput(parts, this::ended, 10L * 1024 * 1024);
  }

  String name() {
    return name;
  }

  State state() {
    return state;
  }

  String containerId() {
    return containerId;
  }

  /** The secret EdgeWhisk's proxies ask of every /init and /run, for tests and benchmarks. */
  String secret() {
    return secret;
  }

  /** The published host port (the port on 127.0.0.1), for tests and benchmarks. */
  int port() {
    return endpoint.port();
  }

  PoolPolicy.ContainerView view() {
    boolean started = (state != State.UNINITIALIZED && state != State.STARTING) && (action == null || initialized);
    // a dead container takes no more work; it is removed once its last activation is done
    int capacity = dead ? active : maxConcurrency;
    return new PoolPolicy.ContainerView(name, action, kind, memoryMb, started, active, capacity, lastUsed);
  }

  /** Creates and starts the container and waits until its server answers. */
  Future<Void> start(ContainerSpec spec, long readyWithinMs) {
    if (state != State.UNINITIALIZED) {
      return Future.failedFuture(new IllegalStateException("container " + name + " is " + state));
    }
    state = State.STARTING;
    secret = spec.proxySecret();
    long t0 = System.nanoTime();
    long[] at = new long[4];
    created = parts.engine().create(spec);
    starting = created
        .compose(id -> {
          containerId = id;
          at[0] = System.nanoTime();
          if (state == State.REMOVING) {
            // destroy() ran before the id was known; its removal waits for this creation
            return Future.failedFuture("container " + name + " was removed while starting");
          }
          return parts.engine().start(id);
        })
        .compose(p -> {
          endpoint = p;
          at[1] = System.nanoTime();
          // attaching and waiting for the server overlap: both must be done before /init, neither needs the other
          Future<ContainerEngine.LogFollow> attached = parts.engine().followLogs(containerId, output).andThen(f -> {
            at[2] = System.nanoTime();
            if (f.succeeded()) {
              follow = f.result();
              if (state == State.REMOVING) {
                follow.close();
              }
            }
          });
          return Future.all(attached, parts.client().awaitReady(endpoint, System.currentTimeMillis() + readyWithinMs));
        })
        .compose(v -> {
          if (state != State.STARTING) {
            return Future.failedFuture("container " + name + " was removed while starting");
          }
          at[3] = System.nanoTime();
          LOG.debug("Container {} started: create {} ms, start {} ms, attached after {} ms, server up after {} ms", name,
              (at[0] - t0) / 1_000_000, (at[1] - at[0]) / 1_000_000, (at[2] - at[1]) / 1_000_000, (at[3] - at[1]) / 1_000_000);
          state = State.READY;
          lastUsed = System.currentTimeMillis();
          return Future.<Void>succeededFuture();
        })
        .onFailure(t -> destroy());
    return starting;
  }

  /** Makes this (stem cell) container one of {@code key}'s; the pool does so before the first run. */
  void assign(ActionKey key, int concurrency) {
    if (action != null) {
      throw new IllegalStateException("container " + name + " already belongs to " + action);
    }
    this.action = key;
    this.maxConcurrency = Math.max(1, concurrency);
  }

  /**
   * Runs one activation; the pool counts it in with {@link #reserve()} first. Never fails: every outcome
   * is a response.
   */
  Future<RunResult> run(ActivationRequest request) {
    return run(request, r -> { });
  }

  /**
   * Runs one activation; {@code answered} gets the result without logs as soon as the action answered.
   * A healthy container is free for its next activation from then on: its logs are cut in order, each up
   * to its sentinels, so the next activation's output cannot mix into this one's.
   */
  Future<RunResult> run(ActivationRequest request, java.util.function.Consumer<RunResult> answered) {
    long timeoutMs = request.action().limits().timeout();
    long[] initStart = {-1};
    long[] initEnd = {-1};
    long[] runStart = {-1};
    output.limit(request.action().limits().logs() * 1024L * 1024L);
    Future<Void> ready = resume().compose(v -> {
      if (init == null) {
        initStart[0] = System.currentTimeMillis();
        init = initialize(request, timeoutMs).onSuccess(x -> {
          initialized = true;
          initEnd[0] = System.currentTimeMillis();
        });
      }
      return init;
    });
    Promise<RunResult> done = Promise.promise();
    ready.compose(v -> {
      runStart[0] = System.currentTimeMillis();
      return runOnce(request, timeoutMs);
    }).onComplete(ar -> {
      long runEnd = System.currentTimeMillis();
      ActivationResponse response;
      boolean broken;
      if (ar.succeeded()) {
        response = ar.result();
        broken = false;
      } else if (ar.cause() instanceof Ended e) {
        response = e.response;
        broken = e.containerBroken;
      } else {
        response = ActivationResponse.whiskError("Failed to run the action: " + ar.cause().getMessage());
        broken = true;
      }
      // As OpenWhisk's ContainerProxy: only a success or an application error leaves a container fit for
      // reuse. After a developer or internal error its proxy may be in any state (OpenWhisk's nodejs proxy
      // answers every later /run with 403 "System not ready"), so it goes once its logs are read.
      boolean retire = broken || !reusableAfter(response);
      if (retire) {
        if (!broken) {
          LOG.info("Activation {} ended in a {}; removing its container {}", request.activationId(), response.status(), name);
        }
        dead = true;
      }
      long start = initStart[0] >= 0 ? initStart[0] : runStart[0] >= 0 ? runStart[0] : runEnd;
      Long initTime = initStart[0] >= 0 && initEnd[0] >= 0 ? initEnd[0] - initStart[0] : null;
      boolean concurrent = peakSinceIdle > 1;
      if (!retire) {
        // released first, so that the pool's next choice (made when the result is handed over) sees it free
        release();
      }
      answered.accept(new RunResult(response, List.of(), start, runEnd, initTime));
      // a container that broke is not waited for; one retired after a developer error still prints its sentinels
      output.next(broken, concurrent).onComplete(lr -> {
        if (retire) {
          // a retired container is destroyed on release: only after its last output has been read
          release();
        }
        done.complete(new RunResult(response, lr.result(), start, runEnd, initTime));
      });
    });
    return done.future();
  }

  private static boolean reusableAfter(ActivationResponse response) {
    return response.statusCode() == ActivationResponse.SUCCESS || response.statusCode() == ActivationResponse.APPLICATION_ERROR;
  }

  /** Counts an activation in; the pool calls it when it assigns one, so its choices see it at once. */
  void reserve() {
    active++;
    peakSinceIdle = Math.max(peakSinceIdle, active);
    cancelPauseTimer();
  }

  private void release() {
    active--;
    lastUsed = System.currentTimeMillis();
    if (dead) {
      if (active == 0) {
        destroy();
      }
      return;
    }
    if (active == 0 && state == State.RUNNING) {
      state = State.READY;
      peakSinceIdle = 0;
      schedulePause();
    }
  }

  private Future<Void> resume() {
    cancelPauseTimer();
    switch (state) {
      case PAUSED:
        state = State.RUNNING;
        resuming = parts.engine().unpause(containerId).recover(t -> {
          dead = true;
          return Future.failedFuture(new Ended(ActivationResponse.whiskError("Failed to resume the container."), true));
        });
        return resuming;
      case PAUSING:
        return pausing.transform(ar -> resume());
      case STARTING:
        // the pool may give a container that is still being warmed more activations (OpenWhisk's order)
        return starting.transform(ar -> ar.succeeded() ? resume()
            : Future.failedFuture(new Ended(ActivationResponse.whiskError("The container could not be started."), true)));
      case READY:
      case RUNNING:
        state = State.RUNNING;
        // an activation that joins while another one's unpause is under way waits for it too
        return resuming != null && !resuming.isComplete() ? resuming : Future.succeededFuture();
      default:
        return Future.failedFuture(new Ended(ActivationResponse.whiskError("The container is " + state + "."), true));
    }
  }

  private Future<Void> initialize(ActivationRequest request, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    Future<Void> f = parts.client().post(endpoint, secret, "/init", ActionProxyMessages.initBody(request, deadline, maxConcurrency > 1),
            parts.config().maxResultBytes())
        .recover(t -> died(true))
        .compose(resp -> {
          ActivationResponse failed = ActionProxyMessages.ofInit(resp);
          return failed == null ? Future.<Void>succeededFuture() : Future.failedFuture(new Ended(failed, true));
        });
    return withTimeout(f, timeoutMs, ActionProxyMessages.timeout((int) timeoutMs, true), request);
  }

  private Future<ActivationResponse> runOnce(ActivationRequest request, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    Future<ActivationResponse> f = parts.client().post(endpoint, secret, "/run", ActionProxyMessages.runBody(request, deadline),
            parts.config().maxResultBytes() + 1)
        .recover(t -> died(false))
        .map(resp -> ActionProxyMessages.ofRun(resp, parts.config().maxResultBytes()));
    return withTimeout(f, timeoutMs, ActionProxyMessages.timeout((int) timeoutMs, false), request);
  }

  /** The connection broke: the container died, maybe of its memory limit. Always fails with the reason. */
  private <T> Future<T> died(boolean duringInit) {
    dead = true;
    return exitOf(5).transform(ar -> {
      boolean oom = ar.succeeded() && (ar.result().oomKilled() || ar.result().exitCode() == 137);
      String message = oom ? ActionProxyMessages.MEMORY_EXHAUSTED
          : duringInit ? ActionProxyMessages.ABNORMAL_INIT : ActionProxyMessages.ABNORMAL_RUN;
      return Future.failedFuture(new Ended(ActivationResponse.developerError(message), true));
    });
  }

  /** Podman may report the container as running for a moment after its process died. */
  private Future<ContainerEngine.ContainerExit> exitOf(int attempts) {
    return parts.engine().inspect(containerId).compose(exit -> {
      if (exit.running() && attempts > 1) {
        Promise<ContainerEngine.ContainerExit> later = Promise.promise();
        parts.vertx().setTimer(50, id -> exitOf(attempts - 1).onComplete(later));
        return later.future();
      }
      return Future.succeededFuture(exit);
    });
  }

  private <T> Future<T> withTimeout(Future<T> f, long timeoutMs, String message, ActivationRequest request) {
    Promise<T> p = Promise.promise();
    long timer = parts.vertx().setTimer(timeoutMs, id -> {
      if (p.tryFail(new Ended(ActivationResponse.developerError(message), true))) {
        ActivationMdc.run(request.activationId(), request.user().namespace(), () ->
            LOG.info("Activation {} timed out after {} ms; removing its container {}", request.activationId(), timeoutMs, name));
        dead = true;
        destroy();
      }
    });
    f.onComplete(ar -> {
      parts.vertx().cancelTimer(timer);
      if (ar.succeeded()) {
        p.tryComplete(ar.result());
      } else {
        p.tryFail(ar.cause());
      }
    });
    return p.future();
  }

  private void schedulePause() {
    long grace = parts.config().pauseGrace().toMillis();
    pauseTimer = parts.vertx().setTimer(Math.max(1, grace), id -> {
      pauseTimer = -1;
      if (state != State.READY || active > 0) {
        return;
      }
      state = State.PAUSING;
      pausing = parts.engine().pause(containerId).andThen(ar -> {
        if (state == State.PAUSING) {
          state = ar.succeeded() ? State.PAUSED : State.READY;
        }
        if (ar.failed()) {
          LOG.warn("Container {} could not be paused: {}", name, ar.cause().getMessage());
        }
      }).mapEmpty();
    });
  }

  private void cancelPauseTimer() {
    if (pauseTimer >= 0) {
      parts.vertx().cancelTimer(pauseTimer);
      pauseTimer = -1;
    }
  }

  /**
   * Removes the container (once) and tells the owner; safe to call in any state, also from what it sets off
   * (ending the output fails a running activation, whose release destroys the container again).
   */
  Future<Void> destroy() {
    if (removal != null) {
      return removal;
    }
    Promise<Void> removed = Promise.promise();
    removal = removed.future();
    state = State.REMOVING;
    dead = true;
    cancelPauseTimer();
    if (follow != null) {
      follow.close();
      follow = null;
    }
    output.ended();
    // a creation still under way is waited for, so that close() never leaves a container behind
    Future<String> id = containerId != null ? Future.succeededFuture(containerId)
        : created != null ? created : Future.succeededFuture(null);
    id.transform(ar -> ar.succeeded() && ar.result() != null ? parts.engine().remove(ar.result())
            : Future.<Void>succeededFuture())
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.warn("Container {} could not be removed: {}", name, ar.cause().getMessage());
          }
          output.discard();
          removed.handle(ar);
        });
    // the owner waits for the removal at its close
    onGone.accept(this);
    return removal;
  }

  boolean isGone() {
    return removal != null;
  }

  /** The container stopped by itself (its output ended): gone once no activation runs in it. */
  private void ended(Throwable failure) {
    if (removal != null) {
      return;
    }
    LOG.info("Container {} ended{}", name, failure == null ? "" : ": " + failure.getMessage());
    dead = true;
    if (active == 0) {
      destroy();
    }
  }
}
