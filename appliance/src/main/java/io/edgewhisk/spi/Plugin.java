package io.edgewhisk.spi;

import io.vertx.core.Deployable;

/**
 * An optional part of the appliance (MQTT triggers, fleet sync) found on the classpath with
 * {@link java.util.ServiceLoader} and deployed as a verticle. A plugin sees only this package, the
 * {@code model} package and the event bus.
 */
public interface Plugin {

  /** A short name for logs and configuration, e.g. {@code mqtt}. */
  String name();

  /** Whether the configuration turns this plugin on. */
  default boolean enabled(PluginContext context) {
    return true;
  }

  /** The verticle to deploy; called once at start-up. */
  Deployable create(PluginContext context);
}
