package io.edgewhisk.controller;

import io.edgewhisk.config.ActivationMdc;
import io.edgewhisk.log.AppendLog;
import io.edgewhisk.log.Topic;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.Identity;
import io.edgewhisk.store.ActivationStore;
import io.vertx.core.Future;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to every finished activation: the waiting caller hears of it at once, the record is
 * stored (unless the namespace has {@code storeActivations:false}) and appended to the
 * {@code activations} topic for fleet sync.
 */
public final class ActivationRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(ActivationRecorder.class);
  private final ActivationStore store;
  private final AppendLog log;
  private final ActivationCompletions completions;

  public ActivationRecorder(ActivationStore store, AppendLog log, ActivationCompletions completions) {
    this.store = Objects.requireNonNull(store, "store");
    this.log = Objects.requireNonNull(log, "log");
    this.completions = Objects.requireNonNull(completions, "completions");
  }

  /**
   * The action has answered; its logs are still being collected. A blocking caller is answered now,
   * with the record as it stands (as OpenWhisk answers from its invoker's active ack).
   */
  public void announce(Activation early) {
    completions.complete(early);
  }

  /** Completes once the record is stored (what the log consumer waits for before committing). */
  public Future<Void> record(Activation activation, Identity who) {
    completions.complete(activation);
    log.append(Topic.ACTIVATIONS, activation.toJson().toBuffer(), false)
        .onFailure(t -> ActivationMdc.run(activation.activationId(), activation.namespace(),
            () -> LOG.warn("activation {} not appended to the activations topic: {}", activation.activationId(), t.toString())));
    if (Boolean.FALSE.equals(who.limits().storeActivations())) {
      return Future.succeededFuture();
    }
    return store.store(activation);
  }
}
