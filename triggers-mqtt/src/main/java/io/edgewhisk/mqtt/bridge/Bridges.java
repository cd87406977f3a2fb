package io.edgewhisk.mqtt.bridge;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The configured bridges by name, for the feed and the publish action ({@code broker = NAME}). */
public final class Bridges {
  public static final Bridges NONE = new Bridges(List.of());
  private final Map<String, Bridge> byName = new LinkedHashMap<>();

  public Bridges(List<Bridge> bridges) {
    bridges.forEach(b -> byName.put(b.name(), b));
  }

  public Set<String> names() {
    return byName.keySet();
  }

  /** The bridge called {@code name}, or null. */
  public Bridge get(String name) {
    return byName.get(name);
  }

  public List<Bridge> all() {
    return new ArrayList<>(byName.values());
  }

  public Future<Void> start() {
    return Future.all(byName.values().stream().map(Bridge::start).toList()).mapEmpty();
  }

  public Future<Void> stop() {
    return Future.join(byName.values().stream().map(Bridge::stop).toList()).mapEmpty();
  }
}
