package io.edgewhisk.api;

import org.junit.jupiter.api.Nested;

/** Every API contract against the real appliance: SQLite state, the wiring of {@code edgewhisk serve}. */
class ApiIT {
  @Nested class Info extends InfoAndAuthContract {
    @Override protected ApplianceUnderTest start() throws Exception { return new RealAppliance(); }
  }

  @Nested class Actions extends ActionContract {
    @Override protected ApplianceUnderTest start() throws Exception { return new RealAppliance(); }
  }

  @Nested class Packages extends PackageContract {
    @Override protected ApplianceUnderTest start() throws Exception { return new RealAppliance(); }
  }

  @Nested class TriggersAndRules extends TriggerRuleContract {
    @Override protected ApplianceUnderTest start() throws Exception { return new RealAppliance(); }
  }

  @Nested class Activations extends ActivationContract {
    @Override protected ApplianceUnderTest start() throws Exception { return new RealAppliance(); }
  }
}
