package io.edgewhisk.api;

import io.edgewhisk.config.ApplianceConfig;
import io.edgewhisk.controller.ActionFactory;
import io.edgewhisk.controller.ActionResolver;
import io.edgewhisk.controller.Activator;
import io.edgewhisk.controller.Actions;
import io.edgewhisk.controller.Entitlement;
import io.edgewhisk.controller.EntityLister;
import io.edgewhisk.controller.Packages;
import io.edgewhisk.controller.Rules;
import io.edgewhisk.controller.RuntimeKinds;
import io.edgewhisk.controller.SequenceChecker;
import io.edgewhisk.controller.Triggers;
import io.edgewhisk.store.ActivationStore;
import io.edgewhisk.store.EntityStore;
import io.edgewhisk.store.SubjectStore;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.Objects;

/** What the API's routes call: the controllers and stores, wired once by {@code Main}. */
public record ApiServices(
    ApplianceConfig config,
    SubjectStore subjects,
    ActivationStore activations,
    Actions actions,
    Packages packages,
    Triggers triggers,
    Rules rules,
    EntityLister lister,
    RuntimeKinds kinds,
    Buffer swagger,
    String build,
    Readiness readiness,
    WebActions webActions) {

  public ApiServices {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(subjects, "subjects");
    Objects.requireNonNull(activations, "activations");
    Objects.requireNonNull(actions, "actions");
    Objects.requireNonNull(packages, "packages");
    Objects.requireNonNull(triggers, "triggers");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(lister, "lister");
    Objects.requireNonNull(kinds, "kinds");
    Objects.requireNonNull(swagger, "swagger");
    Objects.requireNonNull(build, "build");
    Objects.requireNonNull(readiness, "readiness");
    Objects.requireNonNull(webActions, "webActions");
  }

  /** Builds the controllers over the stores. */
  public static ApiServices wire(ApplianceConfig config, SubjectStore subjects, EntityStore entities,
      ActivationStore activations, RuntimeKinds kinds, Buffer swagger, String build, Readiness readiness, Clock clock,
      Activator activator) {
    long maxParams = config.api().maxParametersBytes();
    Entitlement entitlement = new Entitlement(entities);
    ActionResolver resolver = new ActionResolver(entities, entitlement);
    ActionFactory factory = new ActionFactory(kinds, config.actionLimits(), config.api().maxCodeBytes(), maxParams);
    SequenceChecker sequences = new SequenceChecker(resolver, config.actionLimits().sequenceMaxLength());
    return new ApiServices(config, subjects, activations,
        new Actions(entities, resolver, factory, sequences, clock),
        new Packages(entities, entitlement, maxParams, clock),
        new Triggers(entities, maxParams, clock),
        new Rules(entities, resolver, clock),
        new EntityLister(entities, entitlement),
        kinds, swagger, build, readiness,
        new WebActions(subjects, resolver, activator, WebActions.WAIT_MILLIS));
  }
}
