package io.edgewhisk.api;

import org.junit.jupiter.api.Nested;

/** Every API contract against the appliance on in-memory stores: the fast layer. */
class FakeApiTest {
  @Nested class Info extends InfoAndAuthContract {
    @Override protected ApplianceUnderTest start() throws Exception { return new FakeAppliance(); }
  }

  @Nested class Actions extends ActionContract {
    @Override protected ApplianceUnderTest start() throws Exception { return new FakeAppliance(); }
  }

  @Nested class Packages extends PackageContract {
    @Override protected ApplianceUnderTest start() throws Exception { return new FakeAppliance(); }
  }

  @Nested class TriggersAndRules extends TriggerRuleContract {
    @Override protected ApplianceUnderTest start() throws Exception { return new FakeAppliance(); }
  }

  @Nested class Activations extends ActivationContract {
    @Override protected ApplianceUnderTest start() throws Exception { return new FakeAppliance(); }
  }
}
