package io.edgewhisk.plugin;

import io.edgewhisk.controller.BuiltinAction;
import io.edgewhisk.spi.CatalogPackage;
import io.edgewhisk.spi.CatalogRegistry;
import io.edgewhisk.spi.FeedProvider;
import io.edgewhisk.spi.InProcessAction;
import io.edgewhisk.store.EntityStore;
import io.edgewhisk.store.SubjectStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The in-process actions of {@code /whisk.system} that plugins declare ({@link io.edgewhisk.spi.Plugin#catalog()})
 * and provide at start: what {@link io.edgewhisk.controller.ActionRunner} runs for exec kind
 * {@value BuiltinAction#KIND}. A feed's code is the core's {@link FeedProtocol} in front of the plugin's
 * provider on the bus; an action's is the plugin's {@link InProcessAction}. An action declared but not (or no
 * longer) provided answers 503.
 */
public final class PluginCatalog implements Function<String, BuiltinAction> {
  private final Vertx vertx;
  private final SubjectStore subjects;
  private final EntityStore entities;
  /** action name (package/action) to the plugin that declared it */
  private final Map<String, String> declared = new ConcurrentHashMap<>();
  private final Set<String> feeds = ConcurrentHashMap.newKeySet();
  private final Map<String, BuiltinAction> provided = new ConcurrentHashMap<>();
  private final Map<String, MessageConsumer<JsonObject>> bound = new ConcurrentHashMap<>();

  public PluginCatalog(Vertx vertx, SubjectStore subjects, EntityStore entities) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.subjects = Objects.requireNonNull(subjects, "subjects");
    this.entities = Objects.requireNonNull(entities, "entities");
  }

  /** Takes note of a plugin's packages; fails if another plugin declared one of the same actions. */
  public void declare(String plugin, List<CatalogPackage> packages) {
    for (CatalogPackage p : packages) {
      p.actions().forEach(a -> {
        String name = p.name() + "/" + a.name();
        String other = declared.putIfAbsent(name, plugin);
        if (other != null && !other.equals(plugin)) {
          throw new IllegalStateException("plugins " + other + " and " + plugin + " both declare /whisk.system/" + name);
        }
        if (a.feed()) {
          feeds.add(name);
          FeedProvider client = new io.edgewhisk.spi.FeedProviderVertxEBProxy(vertx, FeedProvider.ADDRESS_PREFIX + name);
          provided.put(name, new FeedProtocol(name, () -> client, subjects, entities));
        }
      });
    }
  }

  @Override
  public BuiltinAction apply(String name) {
    return provided.get(name);
  }

  /** The registry a plugin provides its code through: only for the actions it declared. */
  CatalogRegistry scopedTo(String plugin) {
    return new CatalogRegistry() {
      @Override
      public Future<Void> provideFeed(String action, FeedProvider provider) {
        Objects.requireNonNull(provider, "provider");
        if (!plugin.equals(declared.get(action)) || !feeds.contains(action)) {
          return Future.failedFuture(new IllegalArgumentException("plugin " + plugin + " declares no feed " + action));
        }
        MessageConsumer<JsonObject> consumer = new ServiceBinder(vertx).setAddress(FeedProvider.ADDRESS_PREFIX + action)
            .register(FeedProvider.class, provider);
        MessageConsumer<JsonObject> old = bound.put(action, consumer);
        Future<Void> unbound = old == null ? Future.succeededFuture() : old.unregister();
        return unbound.compose(v -> consumer.completion());
      }

      @Override
      public void provideAction(String action, InProcessAction code) {
        Objects.requireNonNull(code, "code");
        if (!plugin.equals(declared.get(action)) || feeds.contains(action)) {
          throw new IllegalArgumentException("plugin " + plugin + " declares no action " + action);
        }
        provided.put(action, new BuiltinAction() {
          @Override
          public String name() {
            return action;
          }

          @Override
          public Future<JsonObject> run(io.edgewhisk.model.Identity who, JsonObject args) {
            try {
              return code.run(who, args);
            } catch (RuntimeException e) {
              return Future.failedFuture(e);
            }
          }
        });
      }
    };
  }

  /** Unbinds the plugin's feed providers and forgets its actions (running them answers 503 again). */
  public Future<Void> withdraw(String plugin) {
    List<Future<Void>> unbinding = new ArrayList<>();
    declared.forEach((action, owner) -> {
      if (owner.equals(plugin)) {
        MessageConsumer<JsonObject> c = bound.remove(action);
        if (c != null) {
          unbinding.add(c.unregister());
        }
        if (!feeds.contains(action)) {
          provided.remove(action);
        }
      }
    });
    return Future.join(unbinding).mapEmpty();
  }
}
