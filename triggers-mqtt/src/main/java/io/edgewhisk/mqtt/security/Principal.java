package io.edgewhisk.mqtt.security;

import java.util.Objects;

/** Who a connection is: a device user, or anonymous ({@code user} null), with the rules that apply. */
public record Principal(String user, AccessRules rules) {
  public Principal {
    Objects.requireNonNull(rules, "rules");
  }

  public boolean mayPublish(String topic, String clientId) {
    return rules.mayPublish(topic, user, clientId);
  }

  public boolean maySubscribe(String filter, String clientId) {
    return rules.maySubscribe(filter, user, clientId);
  }
}
