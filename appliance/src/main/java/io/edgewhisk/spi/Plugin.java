package io.edgewhisk.spi;

import com.typesafe.config.Config;
import io.vertx.core.Deployable;
import java.util.List;

/**
 * An optional part of the appliance (MQTT triggers, fleet sync, the alarms feed) found on the class path
 * with {@link java.util.ServiceLoader} ({@code META-INF/services/io.edgewhisk.spi.Plugin}) and deployed as
 * a verticle. Everything but {@link #create} is declarative and read before anything starts, so that a
 * bad setting or a missing piece stops start-up before a container or a file is touched.
 */
public interface Plugin {

  /**
   * A short lower-case word ({@code [a-z][a-z0-9]*}): the configuration section {@code edgewhisk.<name>},
   * the metrics prefix {@code edgewhisk_<name>_}, the table prefix {@code <name>_}, the log topics
   * {@code <name>.*} and the version track of its migrations.
   */
  String name();

  /**
   * Checks the plugin's section ({@code edgewhisk.<name>}, empty when absent) once, before anything
   * starts; throws a {@link com.typesafe.config.ConfigException} naming the bad key. The same section is
   * handed to {@link #create} through {@link PluginContext#config()}.
   */
  default void validate(Config section) {}

  /** Whether the section turns the plugin on (a plugin in {@code edgewhisk.plugins.disabled} is off anyway). */
  default boolean enabled(Config section) {
    return true;
  }

  /** The plugin's database migrations, in version order; run through the core's writer before it starts. */
  default List<PluginMigration> migrations() {
    return List.of();
  }

  /**
   * Packages and actions the plugin adds to {@code /whisk.system}; installed with the built-in catalog. Their
   * implementations are provided at start through {@link PluginContext#catalog()}.
   */
  default List<CatalogPackage> catalog() {
    return List.of();
  }

  /** Subcommands {@code edgewhisk <word> …} that run on the state directory, like {@code user} and {@code limits}. */
  default List<AdminCommand> commands() {
    return List.of();
  }

  /**
   * The verticle to deploy; called once, after the catalog is installed and before the API takes requests.
   * It is undeployed first at shutdown, while the services it uses still run. A verticle that fails to
   * start stops start-up with the plugin's name and its reason.
   */
  Deployable create(PluginContext context);
}
