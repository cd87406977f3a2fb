package io.edgewhisk.plugin;

import io.edgewhisk.plugin.PluginLoader.SelectedPlugin;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The selected plugins at run time: {@link #prepare} runs their migrations and declares their catalog
 * entries (before the catalog is installed), {@link #start} deploys each with its context (after the
 * catalog, before the API), {@link #stop} undeploys them newest first (before the invoker, the log and the
 * stores close).
 */
public final class PluginRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(PluginRuntime.class);

  private final List<SelectedPlugin> plugins;
  private final PluginServices services;
  private final List<String> deployments = new ArrayList<>();
  private final List<String> started = new ArrayList<>();

  public PluginRuntime(List<SelectedPlugin> plugins, PluginServices services) {
    this.plugins = List.copyOf(plugins);
    this.services = Objects.requireNonNull(services, "services");
  }

  /** Migrations, then catalog declarations; fails with the plugin's name and the reason. */
  public Future<Void> prepare() {
    Future<Void> chain = Future.succeededFuture();
    for (SelectedPlugin p : plugins) {
      chain = chain.compose(v -> PluginMigrations.apply(services.database(), p.name(), p.plugin().migrations())
          .compose(version -> {
            services.catalog().declare(p.name(), p.plugin().catalog());
            return Future.<Void>succeededFuture();
          })
          .recover(t -> failed(p, t)));
    }
    return chain;
  }

  /** Every declared catalog package of the selected plugins, for the catalog installer. */
  public List<io.edgewhisk.spi.CatalogPackage> catalogPackages() {
    List<io.edgewhisk.spi.CatalogPackage> out = new ArrayList<>();
    plugins.forEach(p -> out.addAll(p.plugin().catalog()));
    return out;
  }

  /** Deploys each plugin in turn; answers their names. */
  public Future<List<String>> start() {
    Future<Void> chain = Future.succeededFuture();
    for (SelectedPlugin p : plugins) {
      chain = chain.compose(v -> {
        StartedPluginContext context;
        try {
          context = StartedPluginContext.of(p.name(), p.section(),
              PluginLoader.dataDir(services.stateDir(), p.name()), services);
        } catch (IOException | RuntimeException e) {
          return failed(p, e);
        }
        return services.vertx().deployVerticle(p.plugin().create(context))
            .<Void>map(id -> {
              deployments.add(id);
              started.add(p.name());
              LOG.info("plugin {} started", p.name());
              return null;
            })
            .recover(t -> failed(p, t));
      });
    }
    return chain.map(v -> List.copyOf(started));
  }

  /** Undeploys the plugins newest first and withdraws their catalog code; never fails. */
  public Future<Void> stop() {
    List<String> ids = new ArrayList<>(deployments);
    Collections.reverse(ids);
    Future<Void> chain = Future.succeededFuture();
    for (String id : ids) {
      chain = chain.compose(v -> services.vertx().undeploy(id)).recover(t -> {
        LOG.warn("a plugin did not stop cleanly: {}", t.toString());
        return Future.succeededFuture();
      });
    }
    deployments.clear();
    for (SelectedPlugin p : plugins) {
      chain = chain.compose(v -> services.catalog().withdraw(p.name())).recover(t -> Future.succeededFuture());
    }
    return chain;
  }

  private static <T> Future<T> failed(SelectedPlugin p, Throwable t) {
    return Future.failedFuture(new IllegalStateException("plugin " + p.name() + " failed to start: " + t.getMessage(), t));
  }
}
