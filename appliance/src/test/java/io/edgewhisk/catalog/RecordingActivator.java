package io.edgewhisk.catalog;

import io.edgewhisk.controller.Activator;
import io.edgewhisk.controller.InvocationOutcome;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.WhiskException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link Activator} that records trigger fires (and can refuse them with a status), for the alarm tests. */
public final class RecordingActivator implements Activator {
  /** One fire: who fired which trigger with what, and when (epoch ms). */
  public record Fire(Identity who, FullyQualifiedName trigger, JsonObject payload, long at) {}

  public final List<Fire> fires = new CopyOnWriteArrayList<>();
  public volatile int refuseWith;

  @Override
  public Future<InvocationOutcome> invoke(Identity who, FullyQualifiedName action, JsonObject payload, boolean blocking,
      long waitMillis) {
    return Future.failedFuture(new UnsupportedOperationException("the alarm tests only fire triggers"));
  }

  @Override
  public Future<ActivationId> fire(Identity who, FullyQualifiedName trigger, JsonObject payload) {
    if (refuseWith != 0) {
      return Future.failedFuture(new WhiskException(refuseWith, "refused"));
    }
    fires.add(new Fire(who, trigger, payload, System.currentTimeMillis()));
    return Future.succeededFuture(ActivationId.random());
  }

  public long firesOf(FullyQualifiedName trigger) {
    return fires.stream().filter(f -> f.trigger().equals(trigger)).count();
  }
}
