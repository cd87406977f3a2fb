package io.edgewhisk.api;

import io.edgewhisk.controller.Entitlement;
import io.edgewhisk.model.Identity;
import io.edgewhisk.store.SubjectStore;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/** {@code /namespaces} (the caller's subject's namespaces) and {@code /namespaces/{ns}/limits}. */
final class NamespaceRoutes implements Routes {
  private final SubjectStore subjects;

  NamespaceRoutes(SubjectStore subjects) {
    this.subjects = Objects.requireNonNull(subjects, "subjects");
  }

  @Override
  public void mount(Router router) {
    router.getWithRegex("/api/v1/namespaces/?").handler(this::list);
    router.getWithRegex(NAMESPACE + "/limits").handler(this::limits);
  }

  private void list(RoutingContext ctx) {
    Identity who = Requests.identity(ctx);
    Routes.answer(ctx, subjects.list(), all -> {
      JsonArray names = new JsonArray();
      all.stream().filter(i -> i.subject().equals(who.subject())).map(Identity::namespace).sorted().forEach(names::add);
      return names;
    });
  }

  /** The namespace's limits in force: its own where set, the system's defaults elsewhere. */
  private void limits(RoutingContext ctx) {
    Identity who = Requests.identity(ctx);
    String ns = Requests.namespace(ctx);
    Entitlement.requireOwner(who, ns, ns);
    Replies.ok(ctx, who.limits().toJson());
  }
}
