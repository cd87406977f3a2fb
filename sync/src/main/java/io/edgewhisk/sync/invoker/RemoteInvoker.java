package io.edgewhisk.sync.invoker;

import io.edgewhisk.spi.IdentityService;
import io.edgewhisk.spi.InvocationService;
import io.edgewhisk.spi.Subject;
import io.edgewhisk.sync.pull.FleetFilter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway answers a central controller's {@code ActivationMessage}: the finished activation, run through
 * the core's invocation service as the namespace's owner, or an error activation when it does not run it. Only a
 * served namespace whose key (as pulled from the central {@code subjects}) the message carries is run. Never
 * fails: every outcome is an answer.
 */
public final class RemoteInvoker {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteInvoker.class);

  private final FleetFilter served;
  private final IdentityService identities;
  private final InvocationService invocations;
  private final String deviceId;
  private final JsonObject instance;
  private final Clock clock;

  public RemoteInvoker(FleetFilter served, IdentityService identities, InvocationService invocations, String deviceId,
      JsonObject instance, Clock clock) {
    this.served = Objects.requireNonNull(served, "served");
    this.identities = Objects.requireNonNull(identities, "identities");
    this.invocations = Objects.requireNonNull(invocations, "invocations");
    this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
    this.instance = Objects.requireNonNull(instance, "instance").copy();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The {@code CombinedCompletionAndResultMessage} for the message. */
  public Future<JsonObject> answer(InvokerMessage m) {
    if (!served.serves(m.namespace())) {
      return refused(m, "The namespace '" + m.namespace() + "' is not served by the device '" + deviceId + "'.");
    }
    return identities.byNamespace(m.namespace())
        .compose(subject -> {
          if (subject == null || !sameKey(subject, m.apiKey())) {
            return refused(m, "The supplied authentication is not valid for the namespace '" + m.namespace()
                + "' on the device '" + deviceId + "'.");
          }
          return invocations.invoke(m.action(), m.namespace(), m.content(), m.activationId(), m.cause())
              .map(record -> Completion.of(m.transid(), record, deviceId, instance))
              .recover(t -> failed(m, t));
        })
        .recover(t -> failed(m, t));
  }

  /** A refusal of the core (OpenWhisk's status and message), or the core unreachable. */
  private Future<JsonObject> failed(InvokerMessage m, Throwable t) {
    int status = t instanceof ServiceException s ? s.failureCode() : 500;
    if (status == 409) {
      // a message seen before (Kafka redelivers what was not committed): the first run's record is the answer
      return invocations.record(m.namespace(), m.activationId()).transform(ar -> ar.succeeded() && ar.result() != null
          ? Future.succeededFuture(Completion.of(m.transid(), ar.result(), deviceId, instance))
          : refused(m, t.getMessage()));
    }
    if (status >= 400 && status < 500) {
      return refused(m, t.getMessage());
    }
    LOG.warn("activation {}: the core could not run {}: {}", m.activationId(), m.action(), t.toString());
    return Future.succeededFuture(Completion.refused(m, Completion.WHISK_ERROR,
        t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage(), clock.millis(), deviceId, instance));
  }

  private Future<JsonObject> refused(InvokerMessage m, String error) {
    LOG.info("activation {}: {} not run: {}", m.activationId(), m.action(), error);
    return Future.succeededFuture(Completion.refused(m, Completion.APPLICATION_ERROR, error, clock.millis(), deviceId,
        instance));
  }

  /** Compared in constant time: the key is a credential. */
  private static boolean sameKey(Subject subject, String apiKey) {
    return !subject.blocked() && MessageDigest.isEqual(subject.authKey().getBytes(StandardCharsets.UTF_8),
        apiKey.getBytes(StandardCharsets.UTF_8));
  }
}
