package io.edgewhisk.spi;

import io.vertx.codegen.annotations.ProxyGen;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Fires triggers as their owner, through the same path as {@code POST /api/v1/namespaces/NS/triggers/NAME}:
 * entitlement, the owner's {@code firesPerMinute}, the trigger activation, one non-blocking invocation per
 * active rule. On the event bus at {@value #ADDRESS}.
 */
@ProxyGen
@VertxGen
public interface TriggerService {
  String ADDRESS = "edgewhisk.triggers";

  /** A typed client of the core's service. */
  static TriggerService client(Vertx vertx) {
    return new TriggerServiceVertxEBProxy(vertx, ADDRESS);
  }

  /**
   * Fires {@code trigger} ({@code /namespace/name}) as the subject that owns its namespace, with
   * {@code payload} over the trigger's parameters. Completes once the trigger's record and every active
   * rule's invocation are durably accepted; never fails for a refusal (that is an outcome), only when the
   * core could not be reached.
   */
  Future<FireOutcome> fire(String trigger, JsonObject payload);
}
