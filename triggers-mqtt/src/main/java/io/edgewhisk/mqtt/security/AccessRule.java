package io.edgewhisk.mqtt.security;

import io.edgewhisk.mqtt.broker.Topics;
import java.util.Locale;
import java.util.Objects;

/**
 * One access rule, {@code allow|deny publish|subscribe|all FILTER}; {@code %u} in the filter stands for the
 * user name and {@code %c} for the client id. Rules are checked in order and the first match wins.
 */
public record AccessRule(boolean allow, Action action, String filter) {
  public AccessRule {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(filter, "filter");
  }

  /** What a rule covers. */
  public enum Action { PUBLISH, SUBSCRIBE, ALL }

  /** Parses {@code "allow publish sensors/%u/#"}; a bad rule is an {@link IllegalArgumentException} naming it. */
  public static AccessRule parse(String text) {
    String[] parts = text.trim().split("\\s+");
    if (parts.length != 3) {
      throw new IllegalArgumentException("access rule '" + text + "': expected 'allow|deny publish|subscribe|all FILTER'");
    }
    boolean allow = switch (parts[0].toLowerCase(Locale.ROOT)) {
      case "allow" -> true;
      case "deny" -> false;
      default -> throw new IllegalArgumentException("access rule '" + text + "': must start with allow or deny");
    };
    Action action;
    try {
      action = Action.valueOf(parts[1].toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("access rule '" + text + "': action must be publish, subscribe or all");
    }
    String probe = parts[2].replace("%u", "u").replace("%c", "c");
    if (!Topics.isValidFilter(probe)) {
      throw new IllegalArgumentException("access rule '" + text + "': '" + parts[2] + "' is not a topic filter");
    }
    return new AccessRule(allow, action, parts[2]);
  }

  /**
   * Whether this rule speaks about {@code topic} (a topic name to publish, or a filter to subscribe: a
   * subscription is covered only when every topic it can match is, so wildcards must be covered by the rule's).
   */
  boolean covers(Action wanted, String topic, String user, String clientId) {
    if (action != Action.ALL && action != wanted) {
      return false;
    }
    String f = filter.replace("%u", user == null ? "\u0000" : user).replace("%c", clientId);
    return wanted == Action.PUBLISH ? Topics.matches(f, topic) : filterCovers(f, topic);
  }

  private static boolean filterCovers(String ruleFilter, String subscription) {
    String[] r = ruleFilter.split("/", -1);
    String[] s = subscription.split("/", -1);
    for (int i = 0; i < r.length; i++) {
      if (r[i].equals("#")) {
        return !(i == 0 && subscription.startsWith("$") && !ruleFilter.startsWith("$"));
      }
      if (i >= s.length || s[i].equals("#")) {
        return false;
      }
      if (r[i].equals("+")) {
        if (i == 0 && s[0].startsWith("$")) {
          return false;
        }
        continue;
      }
      if (!r[i].equals(s[i])) {
        return false;
      }
    }
    return r.length == s.length;
  }

  @Override
  public String toString() {
    return (allow ? "allow " : "deny ") + action.name().toLowerCase(Locale.ROOT) + " " + filter;
  }
}
