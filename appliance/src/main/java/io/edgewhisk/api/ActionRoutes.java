package io.edgewhisk.api;

import io.edgewhisk.controller.Actions;
import io.edgewhisk.controller.EntityLister;
import io.edgewhisk.model.EntityType;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/** {@code /namespaces/{ns}/actions[/{pkg}]/{name}}: list, get, create or update, delete. */
final class ActionRoutes implements Routes {
  private static final String COLLECTION = NAMESPACE + "/actions";
  private final Actions actions;
  private final EntityLister lister;

  ActionRoutes(Actions actions, EntityLister lister) {
    this.actions = Objects.requireNonNull(actions, "actions");
    this.lister = Objects.requireNonNull(lister, "lister");
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

  private void delete(RoutingContext ctx) {
    Routes.answer(ctx, actions.delete(Requests.identity(ctx), Requests.entity(ctx)), a -> a.toJson());
  }
}
