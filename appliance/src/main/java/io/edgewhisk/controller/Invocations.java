package io.edgewhisk.controller;

import io.edgewhisk.log.AppendLog;
import io.edgewhisk.log.Topic;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.ActivationMessage;
import io.edgewhisk.model.ActivationResponse;
import io.edgewhisk.model.EntityType;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.KeyValue;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.Trigger;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.store.EntityStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's side of activation. An invocation is checked (throttles, entitlement, {@code final}
 * parameters, size), written to the {@code invoke} topic (durably when non-blocking, before it is
 * answered) and picked up by the {@link InvokeFeed}; a blocking caller waits for its record. A blocking
 * invocation starts at once, beside the write of its record ({@link EarlyStarts}), and so does a rule's
 * invocation while the feed is idle enough to have started it at once anyway.
 */
public final class Invocations implements Activator {
  private static final Logger LOG = LoggerFactory.getLogger(Invocations.class);
  private static final String RESERVED = "Request defines parameters that are not allowed (e.g., reserved properties).";

  private final Vertx vertx;
  private final EntityStore entities;
  private final ActionResolver resolver;
  private final Throttles throttles;
  private final AppendLog log;
  private final ActivationCompletions completions;
  private final ActivationRecorder recorder;
  private final long maxPayloadBytes;
  private final BooleanSupplier canRunActions;
  private final Clock clock;
  private final AcceptBurst burst;
  private final EarlyStarts early;
  /**
   * Activations admitted by the throttles and not yet finished; each frees its namespace's slot once. A
   * non-blocking burst leaves one entry per activation in its backlog (hundreds of thousands), so the key
   * is the id's 128 bits, not the id and its string.
   */
  private final Map<AdmittedId, String> admitted = new ConcurrentHashMap<>();

  public Invocations(Vertx vertx, EntityStore entities, ActionResolver resolver, Throttles throttles, AppendLog log,
      ActivationCompletions completions, ActivationRecorder recorder, long maxPayloadBytes, BooleanSupplier canRunActions,
      Clock clock) {
    this(vertx, entities, resolver, throttles, log, completions, recorder, maxPayloadBytes, canRunActions, clock,
        AcceptBurst.NONE, new EarlyStarts());
  }

  /**
   * With {@code burst} told of each non-blocking invocation accepted, for the invoke feed to give way, and
   * blocking invocations started through {@code early} (the feed's) without waiting for their record.
   */
  public Invocations(Vertx vertx, EntityStore entities, ActionResolver resolver, Throttles throttles, AppendLog log,
      ActivationCompletions completions, ActivationRecorder recorder, long maxPayloadBytes, BooleanSupplier canRunActions,
      Clock clock, AcceptBurst burst, EarlyStarts early) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.entities = Objects.requireNonNull(entities, "entities");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.throttles = Objects.requireNonNull(throttles, "throttles");
    this.log = Objects.requireNonNull(log, "log");
    this.completions = Objects.requireNonNull(completions, "completions");
    this.recorder = Objects.requireNonNull(recorder, "recorder");
    this.maxPayloadBytes = maxPayloadBytes;
    this.canRunActions = Objects.requireNonNull(canRunActions, "canRunActions");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.burst = Objects.requireNonNull(burst, "burst");
    this.early = Objects.requireNonNull(early, "early");
    completions.onCompletion(a -> {
      String ns = admitted.remove(AdmittedId.of(a.activationId()));
      if (ns != null) {
        throttles.release(ns);
      }
    });
  }

  @Override
  public Future<InvocationOutcome> invoke(Identity who, FullyQualifiedName action, JsonObject payload, boolean blocking,
      long waitMillis) {
    try {
      return invoke(who, action, payload, blocking, waitMillis, null);
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }

  Future<InvocationOutcome> invoke(Identity who, FullyQualifiedName asked, JsonObject payload, boolean blocking,
      long waitMillis, ActivationId cause) {
    return invoke(who, asked, payload, blocking, waitMillis, cause, null);
  }

  /**
   * Invokes the action under the activation id its caller chose (a central controller's, for remote invocation),
   * through the same checks as any invocation; answers once it is on the {@code invoke} topic. Not synced: the
   * caller keeps the request until the record comes (a Kafka offset it has not committed), so a crash loses
   * nothing. Refused with 409 when an admitted activation has that id; the caller checks the stored ones.
   */
  public Future<ActivationId> invokeWithId(Identity who, FullyQualifiedName action, JsonObject payload, ActivationId id,
      ActivationId cause) {
    try {
      return invoke(who, action, payload, true, 0, cause, Objects.requireNonNull(id, "id")).map(InvocationOutcome::activationId);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<InvocationOutcome> invoke(Identity who, FullyQualifiedName asked, JsonObject payload, boolean blocking,
      long waitMillis, ActivationId cause, ActivationId given) {
    try {
      long receivedAt = clock.millis();
      if (!canRunActions.getAsBoolean()) {
        return Future.failedFuture(WhiskException.unavailable(
            "Actions cannot run now: the container engine (Podman) is not reachable."));
      }
      JsonObject body = payload == null ? new JsonObject() : payload;
      WhiskException refused = refusal(body);
      if (refused != null) {
        return Future.failedFuture(refused);
      }
      return resolver.resolve(who, Right.ACTIVATE, asked).compose(resolved -> {
        checkFinal(resolved, body);
        ActivationId id = given == null ? ActivationId.random() : given;
        throttles.admitInvocation(who);
        if (admitted.putIfAbsent(AdmittedId.of(id), who.namespace()) != null) {
          throttles.release(who.namespace());
          throw new WhiskException(409, "The activation id " + id + " is in use.");
        }
        JsonObject args = resolved.parameters().toObject().mergeIn(body);
        ActivationMessage message = new ActivationMessage(transactionId(), receivedAt, resolved.action().fqn(),
            resolved.action().version(), who.subject(), who.namespace(), id, blocking, args, cause);
        Future<io.edgewhisk.model.Activation> done = blocking && given == null ? completions.await(id) : null;
        boolean startedEarly = done != null ? early.start(message, who)
            : given == null && cause != null && early.startIfRoom(message, who);
        return log.append(Topic.INVOKE, message.toBuffer(), !blocking)
            .recover(t -> {
              if (startedEarly && !blocking) {
                // a rule's invocation runs already and gets its record when it ends, but it was not accepted
                // durably: refused like any other that could not be queued (the trigger's record says so)
                early.forget(id);
              } else if (startedEarly) {
                // it runs already, and its caller waits for it: only a crash now would lose it
                early.forget(id);
                LOG.warn("activation {} runs without its record on the invoke topic: {}", id, t.toString());
                return Future.succeededFuture(-1L);
              }
              completions.forget(id);
              if (admitted.remove(AdmittedId.of(id)) != null) {
                throttles.release(who.namespace());
              }
              return Future.failedFuture(WhiskException.unavailable("The activation could not be queued: " + t.getMessage()));
            })
            .compose(offset -> given != null ? Future.<InvocationOutcome>succeededFuture(new InvocationOutcome.Accepted(id))
                : blocking ? waitFor(id, done, waitMillis) : accepted(id));
      });
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }

  private Future<InvocationOutcome> accepted(ActivationId id) {
    burst.accepted();
    return Future.succeededFuture(new InvocationOutcome.Accepted(id));
  }

  /**
   * Why a payload cannot be accepted, or null: too large, or nested deeper than an activation record
   * can carry (an accepted activation must always get its record, which may echo the payload).
   */
  private WhiskException refusal(JsonObject body) {
    if (JsonNesting.deeperThan(body, JsonNesting.VALUE_MAX_DEPTH)) {
      return WhiskException.badRequest("The request content was malformed:\nthe payload nests deeper than "
          + JsonNesting.VALUE_MAX_DEPTH + " levels.");
    }
    long size = body.toBuffer().length();
    return size > maxPayloadBytes ? WhiskException.tooLarge(size, maxPayloadBytes) : null;
  }

  /** The record if it comes within the wait, else the id to look it up later (OpenWhisk's 202). */
  private Future<InvocationOutcome> waitFor(ActivationId id, Future<io.edgewhisk.model.Activation> done, long waitMillis) {
    Promise<InvocationOutcome> outcome = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, waitMillis), t -> {
      completions.forget(id);
      outcome.tryComplete(new InvocationOutcome.Accepted(id));
    });
    done.onSuccess(a -> {
      vertx.cancelTimer(timer);
      outcome.tryComplete(new InvocationOutcome.Completed(a));
    });
    return outcome.future();
  }

  /** With {@code final:true}, a parameter the action (or its package) defines may not be overridden. */
  private static void checkFinal(ResolvedAction resolved, JsonObject payload) {
    if (resolved.action().annotations().isTrue("final")) {
      for (KeyValue p : resolved.parameters().entries()) {
        if (payload.containsKey(p.key()) && p.value() != null) {
          throw WhiskException.badRequest(RESERVED);
        }
      }
    }
  }

  @Override
  public Future<ActivationId> fire(Identity who, FullyQualifiedName name, JsonObject payload) {
    try {
      Entitlement.requireOwner(who, name.namespace(), name.toString());
      JsonObject body = payload == null ? new JsonObject() : payload;
      WhiskException refused = refusal(body);
      if (refused != null) {
        return Future.failedFuture(refused);
      }
      return entities.get(name).compose(e -> {
        Trigger trigger = EntityRules.require(e, EntityType.TRIGGER, name.toString());
        throttles.admitFire(who);
        List<Map.Entry<FullyQualifiedName, Trigger.TriggerRule>> active = trigger.rules().entrySet().stream()
            .filter(r -> r.getValue().status() == io.edgewhisk.model.RuleStatus.ACTIVE)
            .sorted(Map.Entry.comparingByKey((a, b) -> a.toString().compareTo(b.toString())))
            .toList();
        if (active.isEmpty()) {
          return Future.succeededFuture(null);
        }
        ActivationId id = ActivationId.random();
        long start = clock.millis();
        JsonObject args = trigger.parameters().toObject().mergeIn(body);
        List<Future<String>> lines = new ArrayList<>();
        for (var rule : active) {
          lines.add(invoke(who, rule.getValue().action(), args, false, 0, id)
              .map(o -> ruleLine(rule.getKey(), rule.getValue().action(), 0, true).put("activationId", o.activationId().value()).encode())
              .recover(t -> {
                WhiskException w = WhiskException.from(t);
                return Future.succeededFuture(ruleLine(rule.getKey(), rule.getValue().action(), w.status() >= 500 ? 3 : 1, false)
                    .put("error", w.getMessage()).encode());
              }));
        }
        return Future.join(lines).map(all -> {
          List<String> logs = lines.stream().map(Future::result).toList();
          long end = clock.millis();
          io.edgewhisk.model.Activation record = io.edgewhisk.model.Activation.record(who.namespace(), trigger.fqn().name(),
              who.subject(), id, start, end, end - start, null, ActivationResponse.success(args), logs,
              new KeyValues(List.of(KeyValue.of("path", trigger.fqn().toString()))), trigger.version());
          recorder.record(record, who);
          return id;
        });
      });
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }

  private static JsonObject ruleLine(FullyQualifiedName rule, FullyQualifiedName action, int statusCode, boolean success) {
    return new JsonObject().put("statusCode", statusCode).put("success", success)
        .put("rule", rule.toString()).put("action", action.toString());
  }

  private static String transactionId() {
    return ActivationId.random().value();
  }

  /**
   * An activation id as the key of {@link #admitted}: its 32 hex digits as two longs (32 bytes, where the id,
   * its string and the string's bytes take 88).
   */
  private record AdmittedId(long high, long low) {
    static AdmittedId of(ActivationId id) {
      String hex = id.value();
      return new AdmittedId(HexFormat.fromHexDigitsToLong(hex, 0, 16), HexFormat.fromHexDigitsToLong(hex, 16, 32));
    }
  }

  /** For tests and metrics: how many admitted activations are unfinished. */
  public int inFlight() {
    return admitted.size();
  }
}
