package io.edgewhisk.controller;

import io.edgewhisk.config.ApplianceConfig;
import io.edgewhisk.store.EntityStore;
import java.time.Clock;

/** The entity controllers over one entity store, wired together once. */
public record Controllers(
    Entitlement entitlement,
    ActionResolver resolver,
    Actions actions,
    Packages packages,
    Triggers triggers,
    Rules rules,
    EntityLister lister) {

  public static Controllers wire(ApplianceConfig config, EntityStore entities, RuntimeKinds kinds, Clock clock) {
    long maxParams = config.api().maxParametersBytes();
    Entitlement entitlement = new Entitlement(entities);
    ActionResolver resolver = new ActionResolver(entities, entitlement);
    ActionFactory factory = new ActionFactory(kinds, config.actionLimits(), config.api().maxCodeBytes(), maxParams);
    SequenceChecker sequences = new SequenceChecker(resolver, config.actionLimits().sequenceMaxLength());
    return new Controllers(entitlement, resolver,
        new Actions(entities, resolver, factory, sequences, clock),
        new Packages(entities, entitlement, maxParams, clock),
        new Triggers(entities, maxParams, clock),
        new Rules(entities, resolver, clock),
        new EntityLister(entities, entitlement));
  }
}
