package io.edgewhisk.api;

import io.edgewhisk.controller.Entitlement;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.EntityName;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.store.ActivationStore;
import io.edgewhisk.store.ActivationStore.ActivationQuery;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/** {@code /namespaces/{ns}/activations[/{id}[/result|/logs]]}: a namespace's own activation records. */
final class ActivationRoutes implements Routes {
  private static final String COLLECTION = NAMESPACE + "/activations";
  private final ActivationStore activations;

  ActivationRoutes(ActivationStore activations) {
    this.activations = Objects.requireNonNull(activations, "activations");
  }

  @Override
  public void mount(Router router) {
    router.getWithRegex(COLLECTION + "/?").handler(this::list);
    router.getWithRegex(COLLECTION + "/(?<id>[^/]+)").handler(this::answerDocument);
    router.getWithRegex(COLLECTION + "/(?<id>[^/]+)/result").handler(ctx -> answerField(ctx, "response", b -> b));
    router.getWithRegex(COLLECTION + "/(?<id>[^/]+)/logs").handler(ctx -> answerField(ctx, "logs",
        b -> Buffer.buffer(b.length() + 10).appendString("{\"logs\":").appendBuffer(b).appendString("}")));
  }

  private void list(RoutingContext ctx) {
    String ns = ownNamespace(ctx);
    Paging paging = Paging.of(ctx, "activations");
    boolean docs = Requests.flag(ctx, "docs", false);
    if (docs && paging.count()) {
      throw WhiskException.badRequest("The parameter 'docs' is not permitted with 'count'.");
    }
    ActivationQuery q = new ActivationQuery(ns, nameFilter(ctx), Requests.epoch(ctx, "since"), Requests.epoch(ctx, "upto"),
        paging.skip(), paging.limit());
    if (paging.count()) {
      Routes.answer(ctx, activations.count(q), n -> new JsonObject().put("activations", n));
    } else {
      if (docs) {
        RecordStream.answer(ctx, activations, ns, activations.ids(q));
      } else {
        Routes.answer(ctx, activations.summaries(q), JsonArray::new);
      }
    }
  }

  /** The whole record, as it is stored: nothing to decode and encode again. */
  private void answerDocument(RoutingContext ctx) {
    String ns = ownNamespace(ctx);
    ActivationId id = activationId(ctx);
    Routes.answer(ctx, activations.document(ns, id).compose(d -> d == null
        ? Future.failedFuture(WhiskException.notFound())
        : Future.succeededFuture(d)), d -> d);
  }

  private static ActivationId activationId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!ActivationId.isValid(id)) {
      throw WhiskException.badRequest("The activation id is not valid.");
    }
    return new ActivationId(id);
  }

  /**
   * One part of the record ({@code logs} or {@code response}), cut out of the stored document by the
   * store: a record with 10 MB of logs is neither decoded nor encoded again on an event loop.
   */
  private void answerField(RoutingContext ctx, String field, java.util.function.Function<Buffer, Buffer> view) {
    String ns = ownNamespace(ctx);
    Future<Buffer> found = activations.field(ns, activationId(ctx), field).compose(b -> b == null
        ? Future.failedFuture(WhiskException.notFound())
        : Future.succeededFuture(b));
    Routes.answer(ctx, found, view::apply);
  }

  private static String ownNamespace(RoutingContext ctx) {
    String ns = Requests.namespace(ctx);
    Entitlement.requireOwner(Requests.identity(ctx), ns, ns);
    return ns;
  }

  /** {@code name} may be a simple name or {@code package/name}. */
  private static String nameFilter(RoutingContext ctx) {
    String name = ctx.request().getParam("name");
    if (name == null) {
      return null;
    }
    String[] parts = name.split("/", -1);
    boolean valid = parts.length <= 2;
    for (String p : parts) {
      valid &= EntityName.isValid(p);
    }
    if (!valid) {
      throw WhiskException.badRequest("Parameter may be a 'simple' name or 'package-name/simple' name: " + Requests.cut(name));
    }
    return name;
  }
}
