package io.edgewhisk.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every entity and the activation record read back exactly what they wrote (the stores rely on it). */
class EntityJsonTest {
  private static final KeyValues PARAMS = new KeyValues(List.of(KeyValue.of("a", 1), new KeyValue("b", new JsonObject().put("x", "ü"), true)));
  private static final FullyQualifiedName IN_PKG = new FullyQualifiedName("guest", "pkg", "act");

  @Test
  void actions() {
    Action code = new Action(IN_PKG, new SemVer(0, 0, 3), true, new Exec.Code("nodejs:18", "x", false, "run", null),
        PARAMS, KeyValues.EMPTY.with("exec", "nodejs:18"), new ActionLimits(1000, 128, 1, 2), 42);
    assertEquals(code, Action.fromJson(code.toJson()));
    Action seq = new Action(FullyQualifiedName.of("guest", "s"), SemVer.INITIAL, false,
        new Exec.Sequence(List.of(IN_PKG, FullyQualifiedName.of("whisk.system", "x"))), KeyValues.EMPTY, KeyValues.EMPTY,
        ActionLimits.DEFAULT, 1);
    assertEquals(seq, Action.fromJson(seq.toJson()));
    Action blackbox = new Action(FullyQualifiedName.of("guest", "b"), SemVer.INITIAL, false,
        new Exec.Code("blackbox", null, false, null, "localhost/x:1"), KeyValues.EMPTY, KeyValues.EMPTY, ActionLimits.DEFAULT, 1);
    assertEquals(blackbox, Action.fromJson(blackbox.toJson()));
  }

  @Test
  void packagesTriggersRules() {
    WhiskPackage binding = new WhiskPackage(FullyQualifiedName.of("guest", "b"), SemVer.INITIAL, false,
        FullyQualifiedName.of("whisk.system", "utils"), PARAMS, KeyValues.EMPTY, 5);
    assertEquals(binding, WhiskPackage.fromJson(binding.toJson()));
    Trigger trigger = new Trigger(FullyQualifiedName.of("guest", "t"), SemVer.INITIAL, false, PARAMS, KeyValues.EMPTY,
        Map.of(FullyQualifiedName.of("guest", "r"), new Trigger.TriggerRule(IN_PKG, RuleStatus.INACTIVE)), 7);
    assertEquals(trigger, Trigger.fromJson(trigger.toJson()));
    Rule rule = new Rule(FullyQualifiedName.of("guest", "r"), SemVer.INITIAL, false, FullyQualifiedName.of("guest", "t"),
        IN_PKG, RuleStatus.ACTIVE, KeyValues.EMPTY, 9);
    assertEquals(rule, Rule.fromJson(rule.toJson()));
  }

  @Test
  void activations() {
    Activation a = new Activation("guest", "act", "guest", ActivationId.random(), 10, 20, 10, ActivationId.random(),
        ActivationResponse.applicationError(new JsonObject().put("error", "no")), List.of("l1", "l2"),
        PARAMS, SemVer.INITIAL, false);
    assertEquals(a, Activation.fromJson(a.toJson()));
  }
}
