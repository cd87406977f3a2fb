package io.edgewhisk.invoker;

import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationRequest;
import io.edgewhisk.model.WhiskException;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The invoker before and while it is being started, so that the API can take requests before Podman has
 * been reached: reaching it (docker-java's set-up, the ping, removing an earlier run's containers) costs a
 * good part of a second of a small gateway's CPU, and nothing but running actions needs it. The appliance
 * {@linkplain #begin() begins} the start once the API serves; an invocation (or a replayed one) that comes
 * earlier begins it itself. An invocation that comes meanwhile waits for the start and then goes to the
 * started invoker, as if its container start took that much longer. Once started, every call goes straight
 * through.
 */
public final class StartingInvoker implements Invoker {
  private final Supplier<Future<Invoker>> start;
  private final LogMemory logMemory;
  private final boolean mayReachEngine;
  private Future<Invoker> starting;
  private boolean closed;
  private volatile Invoker started;

  /**
   * @param start    starts the real invoker (once), which must use {@code logMemory} as its log budget
   * @param config   what tells at once that no engine can be had (no socket, and none may be started)
   */
  public StartingInvoker(Supplier<Future<Invoker>> start, LogMemory logMemory, InvokerConfig config) {
    this.start = Objects.requireNonNull(start, "start");
    this.logMemory = Objects.requireNonNull(logMemory, "logMemory");
    this.mayReachEngine = Files.exists(config.podmanSocket())
        || config.startPodmanService() && PodmanService.podmanCommand() != null;
  }

  /** Begins the start unless it has begun; completes with the started invoker (ready or not). */
  public synchronized Future<Invoker> begin() {
    if (starting == null) {
      if (closed) {
        return Future.failedFuture(WhiskException.unavailable("The invoker is shutting down."));
      }
      starting = start.get().onSuccess(i -> started = i);
    }
    return starting;
  }

  @Override
  public Future<Activation> invoke(ActivationRequest request) {
    Invoker i = started;
    return i != null ? i.invoke(request) : begin().compose(s -> s.invoke(request));
  }

  @Override
  public Future<Activation> invoke(ActivationRequest request, Consumer<Activation> onResult) {
    Invoker i = started;
    return i != null ? i.invoke(request, onResult) : begin().compose(s -> s.invoke(request, onResult));
  }

  @Override
  public LogMemory logMemory() {
    return logMemory;
  }

  /**
   * While starting: true unless it is plain already that no engine can be reached (so such invocations
   * are refused with 503 from the first request on, as after the start); the others wait for the start.
   */
  @Override
  public boolean isReady() {
    Invoker i = started;
    return i != null ? i.isReady() : mayReachEngine;
  }

  @Override
  public Future<Void> ping() {
    Invoker i = started;
    return i != null ? i.ping() : begin().compose(Invoker::ping);
  }

  @Override
  public PoolStats poolStats() {
    Invoker i = started;
    return i != null ? i.poolStats() : PoolStats.NONE;
  }

  /** Closes the invoker once its start is over; one that never began has nothing to close. */
  @Override
  public synchronized Future<Void> close() {
    closed = true;
    return starting == null ? Future.succeededFuture() : starting.compose(Invoker::close);
  }
}
