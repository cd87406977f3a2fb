package io.edgewhisk.mqtt.broker;

import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Wills waiting for their Will Delay Interval (MQTT 5 §3.1.3.2.2), by client id: each goes out when its delay
 * ends, earlier if its session ends first, and not at all if its client connects again in time. Runs on the
 * broker's event loop, like the broker.
 */
final class DelayedWills {
  private final Vertx vertx;
  private final Consumer<Will> publish;
  private final Map<String, Pending> pending = new HashMap<>();

  private record Pending(long timer, Will will) {}

  DelayedWills(Vertx vertx, Consumer<Will> publish) {
    this.vertx = vertx;
    this.publish = publish;
  }

  /** Publishes the will after {@code delaySeconds}, or at once when that is 0. */
  void schedule(String clientId, Will will, long delaySeconds) {
    if (delaySeconds == 0) {
      publish.accept(will);
      return;
    }
    long timer = vertx.setTimer(delaySeconds * 1000, t -> {
      pending.remove(clientId);
      publish.accept(will);
    });
    pending.put(clientId, new Pending(timer, will));
  }

  /** The client is back: its waiting will is dropped. */
  void cancel(String clientId) {
    Pending p = pending.remove(clientId);
    if (p != null) {
      vertx.cancelTimer(p.timer());
    }
  }

  /** The client's session ended: its waiting will goes out now, the earlier of its delay and the session's end. */
  void sessionEnded(String clientId) {
    Pending p = pending.remove(clientId);
    if (p != null) {
      vertx.cancelTimer(p.timer());
      publish.accept(p.will());
    }
  }
}
