package io.edgewhisk.spi;

import io.vertx.codegen.annotations.ProxyGen;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * Invokes actions for a caller outside the REST API (a central controller, through fleet sync), through the
 * same path as {@code POST /api/v1/namespaces/NS/actions/NAME}: entitlement, the namespace's throttles, the
 * {@code invoke} topic of the log, the container pool. The caller chooses the activation id, as OpenWhisk's
 * controller does for its invokers. On the event bus at {@value #ADDRESS}.
 */
@ProxyGen
@VertxGen
public interface InvocationService {
  String ADDRESS = "edgewhisk.invocations";

  /**
   * A typed client of the core's service. It waits up to an hour for an answer: an invocation answers when the
   * action has run (the core bounds that wait itself), which the event bus's default of 30 s would cut short.
   */
  static InvocationService client(Vertx vertx) {
    return new InvocationServiceVertxEBProxy(vertx, ADDRESS, new DeliveryOptions().setSendTimeout(3_600_000));
  }

  /**
   * Invokes {@code action} ({@code /namespace[/package]/name}, possibly a binding or another namespace's shared
   * action) as the subject that owns {@code namespace}, with {@code parameters} over the action's, under
   * {@code activationId} (32 hex digits) and with {@code cause} (an activation id, or null). Completes with the
   * finished record in OpenWhisk's JSON (as {@code GET /activations/ID} answers it) once it is stored, whatever
   * the action answered. Fails with OpenWhisk's status and message: 400 (a malformed name or id), 403 (the
   * namespace is unknown or blocked, or may not run the action), 404 (no such action), 409 (the activation id is
   * in use: running or stored; never overwritten), 413, 429 (throttled), 503 (actions cannot run now, or the
   * record did not come within the longest action time limit and the same again).
   */
  Future<JsonObject> invoke(String action, String namespace, JsonObject parameters, String activationId, String cause);

  /** The stored record of {@code activationId} in {@code namespace}, as {@link #invoke} completes with it, or null. */
  Future<JsonObject> record(String namespace, String activationId);
}
