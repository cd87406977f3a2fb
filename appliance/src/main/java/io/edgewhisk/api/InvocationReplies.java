package io.edgewhisk.api;

import io.edgewhisk.controller.InvocationOutcome;
import io.edgewhisk.model.Activation;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * OpenWhisk's answers to an invocation: 202 with the id when it is accepted (non-blocking, or blocking
 * past its wait); when finished, 200 on success, 502 on an application or developer error, 500 on a
 * platform error, with the whole record or, with {@code result=true}, only its result.
 */
final class InvocationReplies {
  static final String ACTIVATION_ID_HEADER = "x-openwhisk-activation-id";

  private InvocationReplies() {}

  static void reply(RoutingContext ctx, InvocationOutcome outcome, boolean resultOnly) {
    ctx.response().putHeader(ACTIVATION_ID_HEADER, outcome.activationId().value());
    if (outcome instanceof InvocationOutcome.Completed done) {
      Activation a = done.activation();
      Object body = resultOnly ? resultOf(a) : a.toJson();
      Replies.json(ctx, status(a), body);
    } else {
      Replies.json(ctx, 202, new JsonObject().put("activationId", outcome.activationId().value()));
    }
  }

  static int status(Activation a) {
    return switch (a.response().statusCode()) {
      case 0 -> 200;
      case 3 -> 500;
      default -> 502;
    };
  }

  private static Object resultOf(Activation a) {
    Object r = a.response().result();
    return r == null ? new JsonObject() : r;
  }
}
