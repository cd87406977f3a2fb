package io.edgewhisk.mqtt.security;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class AccessRulesTest {
  @Test
  void firstMatchWinsWithUserAndClientSubstitution() {
    AccessRules rules = AccessRules.parse(List.of("deny publish sensors/%u/admin", "allow publish sensors/%u/#",
        "allow subscribe actuators/%c/+", "allow all public/#"));
    assertTrue(rules.mayPublish("sensors/ada/temp", "ada", "c1"));
    assertFalse(rules.mayPublish("sensors/ada/admin", "ada", "c1"));
    assertFalse(rules.mayPublish("sensors/bob/temp", "ada", "c1"), "another user's topic");
    assertTrue(rules.maySubscribe("actuators/c1/fan", "ada", "c1"));
    assertTrue(rules.maySubscribe("actuators/c1/+", "ada", "c1"));
    assertFalse(rules.maySubscribe("actuators/c1/#", "ada", "c1"), "a wider filter than the rule allows");
    assertFalse(rules.maySubscribe("actuators/c2/fan", "ada", "c1"));
    assertTrue(rules.mayPublish("public/x", "ada", "c1"));
    assertFalse(rules.mayPublish("other", "ada", "c1"), "no rule: deny");
    assertFalse(AccessRules.parse(List.of("allow all #")).maySubscribe("$SYS/#", "ada", "c1"));
  }

  @Test
  void anonymousHasNoUserName() {
    AccessRules rules = AccessRules.parse(List.of("allow publish in/%u/x"));
    assertFalse(rules.mayPublish("in//x", null, "c"));
  }

  @Test
  void badRulesAreRefusedWithTheRule() {
    var e = assertThrows(IllegalArgumentException.class, () -> AccessRule.parse("permit all #"));
    assertTrue(e.getMessage().contains("permit all #"));
    assertThrows(IllegalArgumentException.class, () -> AccessRule.parse("allow read #"));
    assertThrows(IllegalArgumentException.class, () -> AccessRule.parse("allow all a/#/b"));
  }

  @Test
  void passwordsAreSaltedAndVerified() {
    String h1 = PasswordHash.hash("pw".toCharArray(), 1000);
    String h2 = PasswordHash.hash("pw".toCharArray(), 1000);
    assertNotEquals(h1, h2, "salted");
    assertTrue(PasswordHash.verify("pw".toCharArray(), h1));
    assertFalse(PasswordHash.verify("pW".toCharArray(), h1));
    assertFalse(PasswordHash.verify("pw".toCharArray(), "garbage"));
    assertTrue(PasswordHash.hash("pw".toCharArray()).startsWith("pbkdf2-sha256$210000$"));
  }
}
