package io.edgewhisk.api;

import io.edgewhisk.controller.Activator;
import io.edgewhisk.controller.EntityLister;
import io.edgewhisk.controller.Triggers;
import io.edgewhisk.model.EntityType;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/** {@code /namespaces/{ns}/triggers/{name}}: list, get, create or update, delete, fire. */
final class TriggerRoutes implements Routes {
  private static final String COLLECTION = NAMESPACE + "/triggers";
  private final Triggers triggers;
  private final EntityLister lister;
  private final Activator activator;

  TriggerRoutes(Triggers triggers, EntityLister lister, Activator activator) {
    this.triggers = Objects.requireNonNull(triggers, "triggers");
    this.lister = Objects.requireNonNull(lister, "lister");
    this.activator = Objects.requireNonNull(activator, "activator");
  }

  @Override
  public void mount(Router router) {
    router.getWithRegex(COLLECTION + "/?").handler(ctx -> CollectionList.answer(ctx, lister, EntityType.TRIGGER, null));
    String entity = COLLECTION + "/(?<name>[^/]+)";
    router.getWithRegex(entity).handler(this::get);
    router.putWithRegex(entity).handler(this::put);
    router.deleteWithRegex(entity).handler(this::delete);
    router.postWithRegex(entity).handler(this::fire);
  }

  /** 202 with the trigger activation's id, or 204 when no rule is active. */
  private void fire(RoutingContext ctx) {
    activator.fire(Requests.identity(ctx), Requests.entity(ctx), Requests.body(ctx)).onSuccess(id -> {
      if (id == null) {
        ctx.response().setStatusCode(204).end();
      } else {
        Replies.json(ctx, 202, new JsonObject().put("activationId", id.value()));
      }
    }).onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    Routes.answer(ctx, triggers.get(Requests.identity(ctx), Requests.entity(ctx)), t -> t.toJson());
  }

  private void put(RoutingContext ctx) {
    Routes.answer(ctx, triggers.put(Requests.identity(ctx), Requests.entity(ctx), Requests.body(ctx),
        Requests.flag(ctx, "overwrite", false)), t -> t.toJson());
  }

  private void delete(RoutingContext ctx) {
    Routes.answer(ctx, triggers.delete(Requests.identity(ctx), Requests.entity(ctx)), t -> t.toJson());
  }
}
