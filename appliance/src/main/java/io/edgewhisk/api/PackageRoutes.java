package io.edgewhisk.api;

import io.edgewhisk.controller.EntityLister;
import io.edgewhisk.controller.Packages;
import io.edgewhisk.model.EntityType;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/** {@code /namespaces/{ns}/packages/{name}}: list, get, create or update (also bindings), delete. */
final class PackageRoutes implements Routes {
  private static final String COLLECTION = NAMESPACE + "/packages";
  private final Packages packages;
  private final EntityLister lister;

  PackageRoutes(Packages packages, EntityLister lister) {
    this.packages = Objects.requireNonNull(packages, "packages");
    this.lister = Objects.requireNonNull(lister, "lister");
  }

  @Override
  public void mount(Router router) {
    router.getWithRegex(COLLECTION + "/?").handler(ctx -> CollectionList.answer(ctx, lister, EntityType.PACKAGE, null));
    String entity = COLLECTION + "/(?<name>[^/]+)";
    router.getWithRegex(entity).handler(this::get);
    router.putWithRegex(entity).handler(this::put);
    router.deleteWithRegex(entity).handler(this::delete);
  }

  private void get(RoutingContext ctx) {
    Routes.answer(ctx, packages.get(Requests.identity(ctx), Requests.entity(ctx)), json -> json);
  }

  private void put(RoutingContext ctx) {
    Routes.answer(ctx, packages.put(Requests.identity(ctx), Requests.entity(ctx), Requests.body(ctx),
        Requests.flag(ctx, "overwrite", false)), p -> p.toJson());
  }

  private void delete(RoutingContext ctx) {
    Routes.answer(ctx, packages.delete(Requests.identity(ctx), Requests.entity(ctx),
        Requests.flag(ctx, "force", false)), p -> p.toJson());
  }
}
