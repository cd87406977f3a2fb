package io.edgewhisk.spi;

import com.typesafe.config.Config;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * What the appliance hands a started plugin. The bus services ({@link #triggers()}, {@link #identities()},
 * {@link #entities()}) are typed clients of the core's services on the event bus; the others are local
 * objects scoped to the plugin (its topics, tables, metrics, catalog entries).
 */
public interface PluginContext {

  /** The plugin's name, as {@link Plugin#name()}. */
  String name();

  /** The plugin's validated section, {@code edgewhisk.<name>} (empty when absent). */
  Config config();

  /** A directory of the plugin's own, {@code <state-dir>/plugins/<name>}, created with mode 0700. */
  Path dataDir();

  Vertx vertx();

  /** Fire triggers as their owner. */
  TriggerService triggers();

  /** Look up and change subjects, namespaces, keys and limits. */
  IdentityService identities();

  /** Invoke actions under an activation id the caller chose (remote invocation). */
  default InvocationService invocations() {
    return InvocationService.client(vertx());
  }

  /** Read entities, apply the fleet's changes, be told of changes. */
  EntityService entities();

  /** Provide the in-process actions and feeds the plugin's {@link Plugin#catalog()} declares. */
  CatalogRegistry catalog();

  /** The plugin's own topics on the embedded log, and durable subscriptions to {@code activations}. */
  LogTopics log();

  /** The plugin's tables, through the core's single SQLite writer. */
  PluginDatabase database();

  /** Metrics under {@code edgewhisk_<name>_} in {@code /metrics}, and health components. */
  Telemetry telemetry();
}
