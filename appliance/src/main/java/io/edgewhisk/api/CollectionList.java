package io.edgewhisk.api;

import io.edgewhisk.controller.EntityLister;
import io.edgewhisk.model.EntityName;
import io.edgewhisk.model.EntityType;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The list route every collection shares: summaries, or {@code {"<collection>": N}} with {@code count}. */
final class CollectionList {
  private CollectionList() {}

  static void answer(RoutingContext ctx, EntityLister lister, EntityType type, String pkg) {
    Paging paging = Paging.of(ctx, type.collection());
    EntityLister.Listing listing = new EntityLister.Listing(Requests.namespace(ctx), type,
        pkg == null ? null : EntityName.require(pkg, "package"), paging.skip(), paging.limit());
    if (paging.count()) {
      Routes.answer(ctx, lister.count(Requests.identity(ctx), listing), n -> new JsonObject().put(type.collection(), n));
    } else {
      Routes.answer(ctx, lister.list(Requests.identity(ctx), listing), Summaries::entities);
    }
  }
}
