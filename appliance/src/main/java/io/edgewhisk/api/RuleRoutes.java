package io.edgewhisk.api;

import io.edgewhisk.controller.EntityLister;
import io.edgewhisk.controller.Rules;
import io.edgewhisk.model.EntityType;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/** {@code /namespaces/{ns}/rules/{name}}: list, get, create or update, delete, and POST to (de)activate. */
final class RuleRoutes implements Routes {
  private static final String COLLECTION = NAMESPACE + "/rules";
  private final Rules rules;
  private final EntityLister lister;

  RuleRoutes(Rules rules, EntityLister lister) {
    this.rules = Objects.requireNonNull(rules, "rules");
    this.lister = Objects.requireNonNull(lister, "lister");
  }

  @Override
  public void mount(Router router) {
    router.getWithRegex(COLLECTION + "/?").handler(ctx -> CollectionList.answer(ctx, lister, EntityType.RULE, null));
    String entity = COLLECTION + "/(?<name>[^/]+)";
    router.getWithRegex(entity).handler(this::get);
    router.putWithRegex(entity).handler(this::put);
    router.postWithRegex(entity).handler(this::setStatus);
    router.deleteWithRegex(entity).handler(this::delete);
  }

  private void get(RoutingContext ctx) {
    Routes.answer(ctx, rules.get(Requests.identity(ctx), Requests.entity(ctx)), r -> r.toJson());
  }

  private void put(RoutingContext ctx) {
    Routes.answer(ctx, rules.put(Requests.identity(ctx), Requests.entity(ctx), Requests.body(ctx),
        Requests.flag(ctx, "overwrite", false)), r -> r.toJson());
  }

  private void setStatus(RoutingContext ctx) {
    Routes.answer(ctx, rules.setStatus(Requests.identity(ctx), Requests.entity(ctx), Requests.body(ctx)), r -> r.toJson());
  }

  private void delete(RoutingContext ctx) {
    Routes.answer(ctx, rules.delete(Requests.identity(ctx), Requests.entity(ctx)), r -> r.toJson());
  }
}
