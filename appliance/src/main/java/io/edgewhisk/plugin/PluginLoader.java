package io.edgewhisk.plugin;

import io.edgewhisk.spi.Plugin;
import io.edgewhisk.spi.PluginContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the plugins on the classpath ({@link ServiceLoader}) and deploys each enabled one as a verticle,
 * so that the core never names them and a gateway without MQTT or a cloud link runs without them.
 */
public final class PluginLoader {
  private static final Logger LOG = LoggerFactory.getLogger(PluginLoader.class);
  private final ClassLoader classLoader;

  public PluginLoader(ClassLoader classLoader) {
    this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
  }

  /** Every plugin on the classpath, in the order the class loader lists them. */
  public List<Plugin> discover() {
    List<Plugin> found = new ArrayList<>();
    ServiceLoader.load(Plugin.class, classLoader).forEach(found::add);
    return found;
  }

  /**
   * Deploys every plugin that is neither in {@code disabled} nor turned off by its own configuration.
   * Answers the names of the plugins deployed; fails if one fails to start.
   */
  public Future<List<String>> deployAll(Vertx vertx, PluginContext context, List<String> disabled) {
    Future<List<String>> chain = Future.succeededFuture(new ArrayList<>());
    for (Plugin plugin : discover()) {
      if (disabled.contains(plugin.name()) || !plugin.enabled(context)) {
        LOG.info("plugin {} found, not enabled", plugin.name());
        continue;
      }
      chain = chain.compose(names -> vertx.deployVerticle(plugin.create(context))
          .map(id -> {
            LOG.info("plugin {} deployed", plugin.name());
            names.add(plugin.name());
            return names;
          })
          .recover(t -> Future.failedFuture(new IllegalStateException("plugin " + plugin.name() + " failed to start: "
              + t.getMessage(), t))));
    }
    return chain;
  }
}
