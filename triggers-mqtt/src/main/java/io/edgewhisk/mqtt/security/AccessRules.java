package io.edgewhisk.mqtt.security;

import java.util.List;

/** An ordered list of access rules: the first rule that covers a request decides; none means deny. */
public record AccessRules(List<AccessRule> rules) {
  public AccessRules {
    rules = List.copyOf(rules);
  }

  public static AccessRules parse(List<String> texts) {
    return new AccessRules(texts.stream().map(AccessRule::parse).toList());
  }

  public boolean mayPublish(String topic, String user, String clientId) {
    return decide(AccessRule.Action.PUBLISH, topic, user, clientId);
  }

  public boolean maySubscribe(String filter, String user, String clientId) {
    return decide(AccessRule.Action.SUBSCRIBE, filter, user, clientId);
  }

  private boolean decide(AccessRule.Action action, String topic, String user, String clientId) {
    for (AccessRule rule : rules) {
      if (rule.covers(action, topic, user, clientId)) {
        return rule.allow();
      }
    }
    return false;
  }
}
