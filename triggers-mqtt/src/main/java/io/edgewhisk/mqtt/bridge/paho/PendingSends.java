package io.edgewhisk.mqtt.bridge.paho;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The requests one Paho connection has sent and not had answered (publishes, subscribes, unsubscribes). Paho
 * answers on its own threads; each answer is handed to the bridge's context. When the connection goes, every
 * request still waiting fails at once: Paho would keep them for a reconnect the bridge never asks it for.
 */
final class PendingSends {
  private final Context context;
  private final Set<Promise<?>> pending = ConcurrentHashMap.newKeySet();

  PendingSends(Context context) {
    this.context = context;
  }

  /** What hands a request to Paho; it may throw when Paho will not take it. */
  interface Request {
    void send() throws Exception;
  }

  /**
   * Sends a request whose answer will complete {@code answer} (through {@link #succeeded} or {@link #failed});
   * a request Paho will not take fails at once, with its exception as {@code refusal} maps it.
   */
  <T> Future<T> send(Promise<T> answer, Request request, Function<Exception, Throwable> refusal) {
    pending.add(answer);
    try {
      request.send();
    } catch (Exception e) {
      pending.remove(answer);
      return Future.failedFuture(refusal.apply(e));
    }
    return answer.future();
  }

  /** Paho's answer (on its thread): the request succeeded with {@code value}. */
  <T> void succeeded(Promise<T> answer, T value) {
    context.runOnContext(v -> {
      pending.remove(answer);
      answer.tryComplete(value);
    });
  }

  /** Paho's answer (on its thread): the request failed. */
  void failed(Promise<?> answer, Throwable cause) {
    context.runOnContext(v -> {
      pending.remove(answer);
      answer.tryFail(cause);
    });
  }

  /** The connection is gone: every request still waiting fails with {@code cause}. */
  void failAll(Throwable cause) {
    context.runOnContext(v -> {
      for (Promise<?> p : List.copyOf(pending)) {
        pending.remove(p);
        p.tryFail(cause);
      }
    });
  }
}
