package io.edgewhisk.api;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/** One resource's routes; each class mounts its own on the API router. */
interface Routes {
  String NAMESPACE = "/api/v1/namespaces/(?<ns>[^/]+)";

  void mount(Router router);

  /** Answers 200 with the future's value in JSON form, or passes its failure to the error mapper. */
  static <T> void answer(RoutingContext ctx, Future<T> result, Function<T, Object> toJson) {
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        Object json;
        try {
          json = toJson.apply(ar.result());
        } catch (RuntimeException e) {
          ctx.fail(e);
          return;
        }
        Replies.ok(ctx, json);
      } else {
        ctx.fail(ar.cause());
      }
    });
  }
}
