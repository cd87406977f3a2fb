package io.edgewhisk.sync.link;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether one link to the central cluster (CouchDB pull, CouchDB push, Kafka) works: up since when, or down
 * since when and why. Read from any thread (metrics, status), written by the link's own loop.
 */
public final class LinkState {
  /** A snapshot. {@code since} is epoch ms of the last change of {@code up}. */
  public record Snapshot(String name, boolean up, long since, String lastError, long lastErrorAt, long lastSuccessAt) {}

  private final String name;
  private final Clock clock;
  private final AtomicReference<Snapshot> current;

  public LinkState(String name, Clock clock) {
    this.name = Objects.requireNonNull(name, "name");
    this.clock = Objects.requireNonNull(clock, "clock");
    // unknown until the first attempt: counted as down, so status does not claim a link never tried
    this.current = new AtomicReference<>(new Snapshot(name, false, clock.millis(), "not connected yet", 0, 0));
  }

  public String name() {
    return name;
  }

  public void succeeded() {
    long now = clock.millis();
    current.updateAndGet(s -> new Snapshot(name, true, s.up() ? s.since() : now, s.lastError(), s.lastErrorAt(), now));
  }

  public void failed(String error) {
    long now = clock.millis();
    current.updateAndGet(s -> new Snapshot(name, false, s.up() ? now : s.since(), error, now, s.lastSuccessAt()));
  }

  public Snapshot snapshot() {
    return current.get();
  }

  public boolean up() {
    return current.get().up();
  }
}
