package io.edgewhisk.log;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to one call, to be completed on the context of the caller. The writer thread collects
 * answers in a {@link Batch} and hands each context all of its answers in one task.
 */
final class Reply<T> {
  private final Context context;
  private final Promise<T> promise = Promise.promise();

  private Reply(Context context) {
    this.context = context;
  }

  static <T> Reply<T> on(Vertx vertx) {
    return new Reply<>(vertx.getOrCreateContext());
  }

  Future<T> future() {
    return promise.future();
  }

  /** Answers collected on the writer thread, dispatched to their contexts together. */
  static final class Batch {
    private final Map<Context, List<Runnable>> byContext = new IdentityHashMap<>();

    <T> void succeed(Reply<T> reply, T value) {
      add(reply, () -> reply.promise.tryComplete(value));
    }

    void fail(Reply<?> reply, Throwable failure) {
      add(reply, () -> reply.promise.tryFail(failure));
    }

    private void add(Reply<?> reply, Runnable completion) {
      byContext.computeIfAbsent(reply.context, c -> new ArrayList<>()).add(completion);
    }

    void dispatch() {
      byContext.forEach((context, completions) -> context.runOnContext(v -> completions.forEach(Runnable::run)));
      byContext.clear();
    }
  }
}
