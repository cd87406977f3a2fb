package io.edgewhisk.api;

import java.util.concurrent.atomic.AtomicBoolean;

/** Whether the appliance takes requests: set once everything has started, cleared when it drains. */
public final class Readiness {
  private final AtomicBoolean ready = new AtomicBoolean();

  public boolean isReady() {
    return ready.get();
  }

  public void ready() {
    ready.set(true);
  }

  public void draining() {
    ready.set(false);
  }
}
