package io.edgewhisk.telemetry;

import io.edgewhisk.spi.HealthComponent;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The health components of the core and the plugins ({@code mqtt.bridge.cloud}, {@code sync.couchdb}, …),
 * each ok, degraded or down with a reason, for the health endpoint to list. A component is created on first
 * use and keeps its last state.
 */
public final class HealthRegistry {
  private final Map<String, Component> components = new ConcurrentSkipListMap<>();

  public HealthComponent component(String name) {
    Objects.requireNonNull(name, "name");
    return components.computeIfAbsent(name, Component::new);
  }

  /** A snapshot of every component by name. */
  public Map<String, State> snapshot() {
    Map<String, State> out = new java.util.TreeMap<>();
    components.forEach((n, c) -> out.put(n, c.state));
    return out;
  }

  /** The worst status of all components (OK when there are none). */
  public HealthComponent.Status overall() {
    HealthComponent.Status worst = HealthComponent.Status.OK;
    for (Component c : components.values()) {
      if (c.state.status().compareTo(worst) > 0) {
        worst = c.state.status();
      }
    }
    return worst;
  }

  /** A component's state at one moment. */
  public record State(HealthComponent.Status status, String reason, long since) {}

  private static final class Component implements HealthComponent {
    private final String name;
    private volatile State state = new State(Status.OK, null, System.currentTimeMillis());

    Component(String name) {
      this.name = name;
    }

    @Override
    public void ok() {
      set(Status.OK, null);
    }

    @Override
    public void degraded(String reason) {
      set(Status.DEGRADED, Objects.requireNonNull(reason, "reason"));
    }

    @Override
    public void down(String reason) {
      set(Status.DOWN, Objects.requireNonNull(reason, "reason"));
    }

    private void set(Status status, String reason) {
      State s = state;
      if (s.status() != status || !Objects.equals(s.reason(), reason)) {
        state = new State(status, reason, System.currentTimeMillis());
      }
    }

    @Override
    public Status status() {
      return state.status();
    }

    @Override
    public String reason() {
      return state.reason();
    }

    @Override
    public String toString() {
      return name + ": " + state;
    }
  }
}
