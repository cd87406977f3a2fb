package io.edgewhisk.mqtt.server;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The open connections of all listeners: counted against {@code max-connections}, swept every second for
 * keep-alive and CONNECT timeouts (one timer for all, not one per connection), and closed by user when a
 * device user is deleted. Event-loop confined.
 */
final class Connections {
  private final Set<MqttConnection> open = new LinkedHashSet<>();
  private final int max;

  Connections(int max) {
    this.max = max;
  }

  void add(MqttConnection c) {
    open.add(c);
  }

  void remove(MqttConnection c) {
    open.remove(c);
  }

  /** Whether one more connected client would be over the bound (the connection asking is already counted). */
  boolean full() {
    return open.size() > max;
  }

  int size() {
    return open.size();
  }

  void sweep(long now) {
    for (MqttConnection c : new ArrayList<>(open)) {
      c.checkTimeouts(now);
    }
  }

  void closeUsers(Set<String> users) {
    for (MqttConnection c : new ArrayList<>(open)) {
      if (c.user() != null && users.contains(c.user())) {
        c.disconnect(ReasonCodes.NOT_AUTHORIZED, "user removed or changed");
      }
    }
  }

  void closeAll(int reason) {
    for (MqttConnection c : new ArrayList<>(open)) {
      c.disconnect(reason, "server shutting down");
    }
  }
}
