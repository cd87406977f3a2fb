package io.edgewhisk.spi;

/**
 * One part of a plugin whose health the operator sees (a bridge's connection, the cloud link). {@code ok}
 * needs no reason; {@code degraded} (works, but not as it should: behind, retrying) and {@code down} (does
 * not work) say why in one sentence an operator can act on.
 */
public interface HealthComponent {
  /** The three states, as the health endpoint reports them. */
  enum Status { OK, DEGRADED, DOWN }

  void ok();

  void degraded(String reason);

  void down(String reason);

  Status status();

  /** Why it is degraded or down; null when ok. */
  String reason();
}
