package io.edgewhisk.controller;

import io.edgewhisk.invoker.Invoker;
import io.edgewhisk.model.Action;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.ActivationRequest;
import io.edgewhisk.model.ActivationResponse;
import io.edgewhisk.model.Exec;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.KeyValue;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.WhiskException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs one activation of a resolved action to its record: a code or blackbox action in a container
 * through the invoker, a builtin in the appliance, a sequence component by component. A platform
 * failure becomes a record with status 3, never a lost activation.
 */
public final class ActionRunner {
  private final Invoker invoker;
  private final Function<String, BuiltinAction> builtins;
  private final ActionResolver resolver;
  private final ActivationRecorder recorder;
  private final Clock clock;

  public ActionRunner(Invoker invoker, Function<String, BuiltinAction> builtins, ActionResolver resolver, ActivationRecorder recorder,
      Clock clock) {
    this.invoker = Objects.requireNonNull(invoker, "invoker");
    this.builtins = Objects.requireNonNull(builtins, "builtins");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.recorder = Objects.requireNonNull(recorder, "recorder");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Runs the action; the record is not yet stored (the caller records it). */
  public Future<Activation> run(Identity who, Action action, JsonObject args, ActivationId id, ActivationId cause,
      String transactionId, long receivedAt) {
    try {
      if (action.exec() instanceof Exec.Sequence seq) {
        return runSequence(who, action, seq, args, id, cause, transactionId, receivedAt);
      }
      Exec.Code code = (Exec.Code) action.exec();
      if (BuiltinAction.KIND.equals(code.kind())) {
        return runBuiltin(who, action, code, args, id, cause);
      }
      long start = clock.millis();
      return invoker.invoke(new ActivationRequest(id, transactionId, who, action, args, cause, receivedAt), recorder::announce)
          .recover(t -> Future.succeededFuture(Activations.of(who, action, id, cause, start, clock.millis(),
              ActivationResponse.whiskError(t instanceof WhiskException w ? w.getMessage() : "The action could not be run."),
              List.of(), Activations.annotations(action))));
    } catch (RuntimeException e) {
      // a Future-returning method never throws: its caller composes, it does not catch
      return Future.failedFuture(e);
    }
  }

  private Future<Activation> runBuiltin(Identity who, Action action, Exec.Code code, JsonObject args, ActivationId id,
      ActivationId cause) {
    long start = clock.millis();
    BuiltinAction builtin = builtins.apply(code.code());
    Future<JsonObject> result = builtin == null
        ? Future.failedFuture(WhiskException.unavailable("The action " + code.code() + " is not available now."))
        : builtin.run(who, args);
    return result.transform(ar -> {
      ActivationResponse response;
      if (ar.failed()) {
        response = ActivationResponse.developerError(String.valueOf(ar.cause().getMessage()));
      } else if (ar.result() != null && ar.result().containsKey("error")) {
        response = ActivationResponse.applicationError(ar.result());
      } else {
        response = ActivationResponse.success(ar.result() == null ? new JsonObject() : ar.result());
      }
      return Future.succeededFuture(Activations.of(who, action, id, cause, start, clock.millis(), response, List.of(),
          Activations.annotations(action)));
    });
  }

  /**
   * OpenWhisk's sequence: each component's result is the next one's input (the first gets the
   * sequence's arguments), stopping at the first that does not succeed. Components are recorded with
   * {@code cause} = the sequence's id; the sequence's record lists their ids as its logs.
   */
  private Future<Activation> runSequence(Identity who, Action sequence, Exec.Sequence seq, JsonObject args,
      ActivationId id, ActivationId cause, String transactionId, long receivedAt) {
    long start = clock.millis();
    SequenceProgress progress = new SequenceProgress(args);
    Future<Void> chain = Future.succeededFuture();
    for (var component : seq.components()) {
      chain = chain.compose(v -> progress.stopped() ? Future.succeededFuture() : resolver.resolve(who, Right.ACTIVATE, component)
          .compose(resolved -> {
            ActivationId componentId = ActivationId.random();
            JsonObject input = resolved.parameters().toObject().mergeIn(progress.input());
            return run(who, resolved.action(), input, componentId, id, transactionId, clock.millis())
                .map(a -> Activations.annotate(a, KeyValue.of("causedBy", "sequence")))
                .compose(a -> recorder.record(a, who).map(a));
          })
          .map(a -> {
            progress.add(a);
            return (Void) null;
          })
          .recover(t -> {
            progress.fail(t instanceof WhiskException w && w.status() < 500
                ? "Sequence component does not exist." : "Sequence failed.");
            return Future.succeededFuture();
          }));
    }
    return chain.map(v -> {
      KeyValues annotations = Activations.annotations(sequence).with("topmost", cause == null);
      if (cause != null) {
        annotations = annotations.with("causedBy", "sequence");
      }
      long end = clock.millis();
      return Activation.record(who.namespace(), sequence.fqn().name(), who.subject(), id, start, end, progress.duration(),
          cause, progress.response(), progress.componentIds(), annotations, sequence.version());
    });
  }
}
