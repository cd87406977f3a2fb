package io.edgewhisk.invoker;

import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationRequest;
import io.vertx.core.Future;

/**
 * Runs one activation of a code or blackbox action in a container and answers with its finished record.
 * The future fails only for a platform failure that left no record to write (e.g. shutdown); action
 * failures, timeouts and out-of-memory are records with status codes 1 to 3.
 */
public interface Invoker {

  Future<Activation> invoke(ActivationRequest request);

  /**
   * Like {@link #invoke(ActivationRequest)}, and hands {@code onResult} the record without its logs as soon
   * as the action has answered, as OpenWhisk's invoker sends its "active ack" before it collects the logs:
   * a blocking caller need not wait for them. The returned future still completes with the whole record.
   */
  default Future<Activation> invoke(ActivationRequest request, java.util.function.Consumer<Activation> onResult) {
    return invoke(request).onSuccess(onResult::accept);
  }

  /**
   * The memory budget of activation logs: an activation's logs hold theirs from the container until
   * {@link LogMemory#releaseLines} is called for its record.
   */
  LogMemory logMemory();

  /** True when the container engine is reachable and invocations can be taken. */
  boolean isReady();

  /**
   * Asks the container engine whether it answers now (for the health endpoint); fails with the reason when it
   * does not. Not ready means not reachable.
   */
  default io.vertx.core.Future<Void> ping() {
    return isReady() ? io.vertx.core.Future.succeededFuture()
        : io.vertx.core.Future.failedFuture(new IllegalStateException("the container engine is not reachable"));
  }

  /** The container pool's starts and size, for {@code /metrics}. */
  default PoolStats poolStats() {
    return PoolStats.NONE;
  }

  /** Stops taking work and removes every container this invoker started. */
  Future<Void> close();
}
