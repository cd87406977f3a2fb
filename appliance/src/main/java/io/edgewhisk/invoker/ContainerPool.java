package io.edgewhisk.invoker;

import io.edgewhisk.config.ActivationMdc;
import io.edgewhisk.invoker.ContainerEngine.ContainerSpec;
import io.edgewhisk.invoker.PoolPolicy.ActionKey;
import io.edgewhisk.invoker.PoolPolicy.ContainerView;
import io.edgewhisk.invoker.PoolPolicy.Decision;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationRequest;
import io.edgewhisk.model.ActivationResponse;
import io.edgewhisk.model.Exec;
import io.edgewhisk.model.WhiskException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenWhisk's container pool for one machine: takes activations into a buffer, lets {@link PoolPolicy}
 * choose a container for the oldest, starts, reuses, evicts and removes containers, and keeps the stem
 * cells filled. All of its state lives on one Vert.x context, so it needs no locks.
 */
final class ContainerPool {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerPool.class);
  static final String MANAGED = "edgewhisk.managed";
  static final String INSTANCE = "edgewhisk.instance";
  private static final long STEM_CELL_RETRY_MS = 10_000;

  private record Job(ActivationRequest request, String kind, String image, int memoryMb, ActionKey key, Promise<Activation> promise,
      Consumer<Activation> onResult) {}

  private final ContainerProxy.Parts parts;
  private final RuntimesManifest manifest;
  private final Map<String, ContainerProxy> containers = new LinkedHashMap<>();
  /** Containers out of the pool whose removal is under way (a timed-out one's, an idle one's): close waits for them. */
  private final Set<ContainerProxy> removing = new HashSet<>();
  private final ArrayDeque<Job> waiting = new ArrayDeque<>();
  private final String runNonce;
  private final SecureRandom random = new SecureRandom();
  private long counter;
  private boolean closed;
  private long sweepTimer = -1;
  private long stemCellsBlockedUntil;
  private final java.util.concurrent.atomic.LongAdder coldStarts = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder warmStarts = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder stemCellStarts = new java.util.concurrent.atomic.LongAdder();
  /** The pool's size, memory and paused containers, written on the pool's context, read by scrapes. */
  private volatile int[] gauges = new int[3];

  /** The memory budget of the logs of this pool's activations. */
  LogMemory logMemory() {
    return parts.logMemory();
  }

  ContainerPool(ContainerProxy.Parts parts, RuntimesManifest manifest) {
    this.parts = Objects.requireNonNull(parts, "parts");
    this.manifest = Objects.requireNonNull(manifest, "manifest");
    byte[] b = new byte[3];
    random.nextBytes(b);
    this.runNonce = HexFormat.of().formatHex(b);
  }

  /** The labels on every container of this appliance. */
  static Map<String, String> labels(InvokerConfig config) {
    return Map.of(MANAGED, "true", INSTANCE, config.instanceId());
  }

  /** Starts the idle sweep and the stem cells; call on the pool's context. */
  void start() {
    long idle = parts.config().idleTimeout().toMillis();
    long every = Math.min(10_000, Math.max(100, idle / 4));
    sweepTimer = parts.vertx().setPeriodic(every, id -> removeIdle());
    refillStemCells();
  }

  Future<Activation> invoke(ActivationRequest request) {
    return invoke(request, a -> { });
  }

  /** {@code onResult} gets the record without logs as soon as the action answered (see {@link Invoker}). */
  Future<Activation> invoke(ActivationRequest request, Consumer<Activation> onResult) {
    Promise<Activation> promise = Promise.promise();
    if (Vertx.currentContext() == parts.context()) {
      accept(request, promise, onResult);
    } else {
      parts.context().runOnContext(v -> accept(request, promise, onResult));
    }
    return promise.future();
  }

  private void accept(ActivationRequest request, Promise<Activation> promise, Consumer<Activation> onResult) {
    if (closed) {
      promise.fail(WhiskException.unavailable("The invoker is shutting down."));
      return;
    }
    Exec.Code code = request.code();
    String kind;
    String image;
    if (code.isBlackbox()) {
      kind = Exec.BLACKBOX;
      image = code.image() == null ? null : manifest.blackboxImage(code.image());
    } else {
      kind = manifest.resolveKind(code.kind());
      image = kind == null ? null : manifest.imageOf(kind);
    }
    int memory = request.action().limits().memory();
    if (image == null && code.isBlackbox()) {
      promise.complete(ActivationRecords.failed(request, ActivationResponse.developerError(
          "The blackbox action has no image to run."), kind));
      return;
    }
    if (image == null) {
      promise.complete(ActivationRecords.failed(request, ActivationResponse.whiskError(
          "The action kind '" + code.kind() + "' is not supported by this invoker."), code.kind()));
      return;
    }
    if (memory > parts.config().userMemoryMb()) {
      promise.complete(ActivationRecords.failed(request, ActivationResponse.whiskError(
          "The action needs " + memory + " MB but the invoker has only " + parts.config().userMemoryMb() + " MB."), kind));
      return;
    }
    ActionKey key = new ActionKey(request.user().namespace(), request.action().fqn().toString(), request.action().version().toString());
    waiting.add(new Job(request, kind, image, memory, key, promise, onResult));
    schedule();
  }

  /** Places buffered activations, oldest first, until one has to wait. */
  private void schedule() {
    takeFigures();
    while (!closed && !waiting.isEmpty()) {
      Job job = waiting.peek();
      Decision d = PoolPolicy.schedule(job.key(), job.kind(), job.memoryMb(), views(), parts.config().userMemoryMb());
      if (d instanceof Decision.Wait) {
        return;
      }
      waiting.poll();
      if (d instanceof Decision.UseWarm w) {
        ContainerProxy p = containers.get(w.id());
        p.reserve();
        warmStarts.increment();
        dispatch(p, job);
      } else if (d instanceof Decision.UseStemCell s) {
        ContainerProxy p = containers.get(s.id());
        p.assign(job.key(), job.request().action().limits().concurrency());
        p.reserve();
        stemCellStarts.increment();
        dispatch(p, job);
        refillStemCells();
      } else if (d instanceof Decision.ColdStart c) {
        c.victims().forEach(id -> containers.get(id).destroy());
        coldStarts.increment();
        coldStart(job);
      }
    }
  }

  private void dispatch(ContainerProxy p, Job job) {
    long assignedAt = System.currentTimeMillis();
    long waitTime = assignedAt - job.request().receivedAt();
    p.run(job.request(), early -> {
      job.onResult().accept(ActivationRecords.of(job.request(), early, waitTime, job.kind()));
      schedule();
    }).onComplete(ar -> {
      job.promise().complete(ActivationRecords.of(job.request(), ar.result(), waitTime, job.kind()));
      schedule();
    });
  }

  private void coldStart(Job job) {
    int concurrency = job.request().action().limits().concurrency();
    ContainerProxy p = newProxy(job.kind(), job.memoryMb(), job.key(), concurrency);
    p.reserve();
    long readyWithin = Math.max(30_000, job.request().action().limits().timeout());
    p.start(spec(job.image(), job.kind(), job.memoryMb(), p.name()), readyWithin).onComplete(ar -> {
      if (ar.succeeded()) {
        dispatch(p, job);
        return;
      }
      String message = "Failed to start a container of image '" + job.image() + "': " + ar.cause().getMessage();
      ActivationMdc.run(job.request().activationId(), job.request().user().namespace(),
          () -> LOG.warn("Activation {}: {}", job.request().activationId(), message));
      ActivationResponse r = Exec.BLACKBOX.equals(job.kind())
          ? ActivationResponse.developerError(message) : ActivationResponse.whiskError(message);
      job.promise().complete(ActivationRecords.failed(job.request(), r, job.kind()));
    });
  }

  private void refillStemCells() {
    if (closed || !parts.config().prewarm() || System.currentTimeMillis() < stemCellsBlockedUntil) {
      return;
    }
    for (RuntimesManifest.StemCell s : PoolPolicy.stemCellsToStart(manifest.stemCells(), views(), parts.config().userMemoryMb())) {
      ContainerProxy p = newProxy(s.kind(), s.memoryMb(), null, 1);
      p.start(spec(s.image(), s.kind(), s.memoryMb(), p.name()), 30_000).onComplete(ar -> {
        if (ar.failed() && closed) {
          LOG.debug("A stem cell of {} was not started: the pool is closing ({})", s.kind(), ar.cause().getMessage());
        } else if (ar.failed()) {
          LOG.warn("A stem cell of {} could not be started (retrying in {} s): {}", s.kind(), STEM_CELL_RETRY_MS / 1000,
              ar.cause().getMessage());
          stemCellsBlockedUntil = System.currentTimeMillis() + STEM_CELL_RETRY_MS;
          parts.vertx().setTimer(STEM_CELL_RETRY_MS, id -> refillStemCells());
        } else {
          schedule();
        }
      });
    }
  }

  private void removeIdle() {
    takeFigures();
    for (String id : PoolPolicy.idleToRemove(views(), System.currentTimeMillis(), parts.config().idleTimeout().toMillis())) {
      LOG.debug("Removing idle container {}", id);
      containers.get(id).destroy();
    }
  }

  private ContainerProxy newProxy(String kind, int memoryMb, ActionKey key, int concurrency) {
    String name = "ew-" + parts.config().instanceId() + "-" + runNonce + "-" + (++counter);
    ContainerProxy p = new ContainerProxy(parts, name, kind, memoryMb, key, concurrency, this::gone);
    containers.put(name, p);
    return p;
  }

  private void gone(ContainerProxy p) {
    containers.remove(p.name());
    removing.add(p);
    p.destroy().onComplete(v -> parts.context().runOnContext(x -> removing.remove(p)));
    if (!closed) {
      // later, not now: destroy() may be called from inside schedule()
      parts.context().runOnContext(v -> {
        schedule();
        refillStemCells();
      });
    }
  }

  private ContainerSpec spec(String image, String kind, int memoryMb, String name) {
    InvokerConfig c = parts.config();
    Map<String, String> labels = new LinkedHashMap<>(labels(c));
    labels.put("edgewhisk.kind", kind);
    // a secret per container, so that EdgeWhisk's proxies serve /init and /run to the invoker only
    byte[] secret = new byte[24];
    random.nextBytes(secret);
    return new ContainerSpec(image, name, labels, Map.of("__OW_API_HOST", c.apiHost()), memoryMb, c.cpuSharesFor(memoryMb),
        c.pidsLimit(), c.nofile(), c.nproc(), c.network(), c.sandbox(), HexFormat.of().formatHex(secret));
  }

  private List<ContainerView> views() {
    List<ContainerView> v = new ArrayList<>(containers.size());
    containers.values().forEach(p -> v.add(p.view()));
    return v;
  }

  /** Takes the pool's size, memory and paused containers for scrapes (at every scheduling and sweep). */
  private void takeFigures() {
    int memory = 0;
    int paused = 0;
    for (ContainerProxy p : containers.values()) {
      memory += p.view().memoryMb();
      paused += p.state() == ContainerProxy.State.PAUSED || p.state() == ContainerProxy.State.PAUSING ? 1 : 0;
    }
    gauges = new int[] {containers.size(), memory, paused};
  }

  /** Starts so far and the pool as it last stood; safe from any thread. */
  PoolStats stats() {
    int[] g = gauges;
    return new PoolStats(coldStarts.sum(), warmStarts.sum(), stemCellStarts.sum(), g[0], g[1], g[2]);
  }

  io.vertx.core.Context context() {
    return parts.context();
  }

  /** The containers now in the pool (for tests and metrics). */
  List<ContainerProxy> containers() {
    return List.copyOf(containers.values());
  }

  /** Stops taking work, fails what waits and removes every container. Call on the pool's context. */
  Future<Void> close() {
    closed = true;
    if (sweepTimer >= 0) {
      parts.vertx().cancelTimer(sweepTimer);
    }
    while (!waiting.isEmpty()) {
      waiting.poll().promise().tryFail(WhiskException.unavailable("The invoker is shutting down."));
    }
    // each destroyed container moves to the removing ones, beside those already on their way out: the
    // engine must not close under any of their removals
    List.copyOf(containers.values()).forEach(ContainerProxy::destroy);
    List<Future<Void>> removals = new ArrayList<>();
    for (ContainerProxy p : List.copyOf(removing)) {
      removals.add(p.destroy());
    }
    return Future.join(removals).mapEmpty();
  }
}
