package io.edgewhisk.health;

import io.vertx.core.Future;

/** Answers the appliance's health; never fails (a part that cannot be checked is reported down). */
@FunctionalInterface
public interface HealthCheck {
  Future<HealthReport> check();
}
