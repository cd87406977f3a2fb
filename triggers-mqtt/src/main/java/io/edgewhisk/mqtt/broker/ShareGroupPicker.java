package io.edgewhisk.mqtt.broker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Chooses the one member of a shared subscription ({@code $share/group/filter}, MQTT 5 §4.8.2) that gets a
 * message: round robin over the members whose client is online, or over all of them when none is (the message
 * then waits in the chosen one's session). Runs on the broker's event loop.
 */
final class ShareGroupPicker {
  private final Map<String, Integer> cursors = new HashMap<>();

  /** The chosen member of {@code group} (members by client id), or null for an empty group. */
  Subscription pick(Map<String, Subscription> group, Predicate<String> online) {
    List<Subscription> members = new ArrayList<>(group.values());
    List<Subscription> reachable = new ArrayList<>();
    for (Subscription sub : members) {
      if (online.test(sub.clientId())) {
        reachable.add(sub);
      }
    }
    List<Subscription> from = reachable.isEmpty() ? members : reachable;
    if (from.isEmpty()) {
      return null;
    }
    String key = from.get(0).shareGroup() + "/" + from.get(0).filter();
    int cursor = cursors.merge(key, 1, Integer::sum);
    return from.get(Math.floorMod(cursor, from.size()));
  }
}
