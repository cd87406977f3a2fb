package io.edgewhisk.api;

import io.edgewhisk.config.ApplianceConfig;
import io.edgewhisk.controller.Activator;
import io.edgewhisk.controller.Actions;
import io.edgewhisk.controller.Controllers;
import io.edgewhisk.controller.EntityLister;
import io.edgewhisk.controller.Packages;
import io.edgewhisk.controller.Rules;
import io.edgewhisk.controller.RuntimeKinds;
import io.edgewhisk.controller.Triggers;
import io.edgewhisk.store.ActivationStore;
import io.edgewhisk.store.SubjectStore;
import io.vertx.core.buffer.Buffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the API's routes call: the controllers and stores, wired once by {@code Main}; and what all API
 * verticles share: the memory budget of requests and the count of open connections.
 */
public record ApiServices(
    ApplianceConfig config,
    SubjectStore subjects,
    ActivationStore activations,
    Actions actions,
    Packages packages,
    Triggers triggers,
    Rules rules,
    EntityLister lister,
    Activator activator,
    RuntimeKinds kinds,
    Buffer swagger,
    String build,
    Readiness readiness,
    WebActions webActions,
    Metrics metrics,
    RequestMemory requestMemory,
    AtomicInteger openConnections,
    io.edgewhisk.health.HealthCheck health) {

  public ApiServices {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(subjects, "subjects");
    Objects.requireNonNull(activations, "activations");
    Objects.requireNonNull(actions, "actions");
    Objects.requireNonNull(packages, "packages");
    Objects.requireNonNull(triggers, "triggers");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(lister, "lister");
    Objects.requireNonNull(activator, "activator");
    Objects.requireNonNull(kinds, "kinds");
    Objects.requireNonNull(swagger, "swagger");
    Objects.requireNonNull(build, "build");
    Objects.requireNonNull(readiness, "readiness");
    Objects.requireNonNull(webActions, "webActions");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(requestMemory, "requestMemory");
    Objects.requireNonNull(openConnections, "openConnections");
    Objects.requireNonNull(health, "health");
  }

  /** The API's view of the wired controllers. */
  public static ApiServices of(ApplianceConfig config, SubjectStore subjects, ActivationStore activations,
      Controllers c, Activator activator, RuntimeKinds kinds, Buffer swagger, String build, Readiness readiness,
      Metrics metrics) {
    return of(config, subjects, activations, c, activator, kinds, swagger, build, readiness, metrics,
        () -> io.vertx.core.Future.succeededFuture(new io.edgewhisk.health.HealthReport(java.util.Map.of())));
  }

  /** The API's view of the wired controllers, with the appliance's health check. */
  public static ApiServices of(ApplianceConfig config, SubjectStore subjects, ActivationStore activations,
      Controllers c, Activator activator, RuntimeKinds kinds, Buffer swagger, String build, Readiness readiness,
      Metrics metrics, io.edgewhisk.health.HealthCheck health) {
    return new ApiServices(config, subjects, activations, c.actions(), c.packages(), c.triggers(), c.rules(), c.lister(),
        activator, kinds, swagger, build, readiness,
        new WebActions(subjects, c.resolver(), activator, WebActions.WAIT_MILLIS), metrics,
        new RequestMemory(config.api().maxRequestMemory()), new AtomicInteger(), health);
  }
}
