package io.edgewhisk.api;

import io.edgewhisk.controller.Actions;
import io.edgewhisk.controller.Activator;
import io.edgewhisk.controller.EntityLister;
import io.edgewhisk.model.EntityType;
import io.edgewhisk.model.WhiskException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/** {@code /namespaces/{ns}/actions[/{pkg}]/{name}}: list, get, create or update, delete, invoke. */
final class ActionRoutes implements Routes {
  private static final String COLLECTION = NAMESPACE + "/actions";
  private final Actions actions;
  private static final long MAX_WAIT_MS = 60_000;
  private final EntityLister lister;
  private final Activator activator;

  ActionRoutes(Actions actions, EntityLister lister, Activator activator) {
    this.actions = Objects.requireNonNull(actions, "actions");
    this.lister = Objects.requireNonNull(lister, "lister");
    this.activator = Objects.requireNonNull(activator, "activator");
  }

  @Override
  public void mount(Router router) {
    router.getWithRegex(COLLECTION + "/?").handler(ctx -> CollectionList.answer(ctx, lister, EntityType.ACTION, null));
    router.getWithRegex(COLLECTION + "/(?<pkg>[^/]+)/").handler(ctx ->
        CollectionList.answer(ctx, lister, EntityType.ACTION, ctx.pathParam("pkg")));
    for (String path : new String[] {COLLECTION + "/(?<name>[^/]+)", COLLECTION + "/(?<pkg>[^/]+)/(?<name>[^/]+)"}) {
      router.getWithRegex(path).handler(this::get);
      router.putWithRegex(path).handler(this::put);
      router.deleteWithRegex(path).handler(this::delete);
      router.postWithRegex(path).handler(this::invoke);
    }
  }

  private void get(RoutingContext ctx) {
    boolean code = Requests.flag(ctx, "code", true);
    Routes.answer(ctx, actions.get(Requests.identity(ctx), Requests.entity(ctx)), a -> a.toJson(code));
  }

  private void put(RoutingContext ctx) {
    Routes.answer(ctx, actions.put(Requests.identity(ctx), Requests.entity(ctx), Requests.body(ctx),
        Requests.flag(ctx, "overwrite", false)), a -> a.toJson());
  }

  /** OpenWhisk's invoke: {@code blocking}, {@code result}, {@code timeout} (ms, at most 60000). */
  private void invoke(RoutingContext ctx) {
    boolean blocking = Requests.flag(ctx, "blocking", false);
    boolean result = Requests.flag(ctx, "result", false);
    Integer timeout = Requests.integer(ctx, "timeout", "timeout");
    if (timeout != null && (timeout <= 0 || timeout > MAX_WAIT_MS)) {
      throw WhiskException.badRequest("Timeout must be number of milliseconds up to " + MAX_WAIT_MS + ".");
    }
    activator.invoke(Requests.identity(ctx), Requests.entity(ctx), Requests.body(ctx), blocking || result,
            timeout == null ? MAX_WAIT_MS : timeout)
        .onSuccess(outcome -> InvocationReplies.reply(ctx, outcome, result))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    Routes.answer(ctx, actions.delete(Requests.identity(ctx), Requests.entity(ctx)), a -> a.toJson());
  }
}
