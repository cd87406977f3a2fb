package io.edgewhisk.catalog;

import io.edgewhisk.catalog.alarms.AlarmFeed;
import io.edgewhisk.catalog.alarms.AlarmFiring;
import io.edgewhisk.catalog.alarms.AlarmKind;
import io.edgewhisk.catalog.alarms.AlarmScheduler;
import io.edgewhisk.catalog.alarms.AlarmStore;
import io.edgewhisk.controller.Activator;
import io.edgewhisk.controller.BuiltinAction;
import io.edgewhisk.store.EntityStore;
import io.edgewhisk.store.SubjectStore;
import io.edgewhisk.store.sqlite.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The built-in {@code /whisk.system} catalog as {@code Main} wires it: the installer of the {@code utils} and
 * {@code alarms} packages, the alarm feeds (builtin actions) and their scheduler. Start-up:
 * {@link #install()}, then {@link #start(Activator)} once the activator exists; shut-down: {@link #stop()}
 * before the database closes.
 */
public final class Catalog {
  private final Vertx vertx;
  private final EntityStore entities;
  private final Clock clock;
  private final CatalogConfig config;
  private final AlarmScheduler scheduler;
  private final List<BuiltinAction> builtins;

  private Catalog(Vertx vertx, EntityStore entities, Clock clock, CatalogConfig config, AlarmScheduler scheduler,
      List<BuiltinAction> builtins) {
    this.vertx = vertx;
    this.entities = entities;
    this.clock = clock;
    this.config = config;
    this.scheduler = scheduler;
    this.builtins = List.copyOf(builtins);
  }

  /**
   * Builds the parts; nothing is read or started yet. {@code entities} should be the store the API reads
   * through (e.g. its cache), since the installer and the fire-once alarms write entities.
   */
  public static Catalog create(Vertx vertx, Database database, EntityStore entities, SubjectStore subjects,
      Clock clock, CatalogConfig config) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(entities, "entities");
    Objects.requireNonNull(subjects, "subjects");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(config, "config");
    AlarmStore store = new AlarmStore(database);
    AlarmScheduler scheduler = new AlarmScheduler(vertx, store, new AlarmFiring(subjects, entities), clock, config.alarms());
    List<BuiltinAction> builtins = new ArrayList<>();
    for (AlarmKind kind : AlarmKind.values()) {
      builtins.add(new AlarmFeed(kind, store, scheduler, subjects, entities, config.alarms(), clock));
    }
    return new Catalog(vertx, entities, clock, config, scheduler, builtins);
  }

  /** The actions of exec kind {@value BuiltinAction#KIND}, to run an action whose code names one of them. */
  public List<BuiltinAction> builtins() {
    return builtins;
  }

  /** The catalog's own builtin action of that name, or null. */
  public BuiltinAction builtin(String name) {
    return builtins.stream().filter(b -> b.name().equals(name)).findFirst().orElse(null);
  }

  /** Installs or upgrades {@code /whisk.system} (nothing when {@code edgewhisk.catalog.install} is off). */
  public Future<Void> install() {
    if (!config.install()) {
      return Future.succeededFuture();
    }
    // the definitions are classpath resources: read them off the event loop
    return vertx.executeBlocking(() -> CatalogDefinitions.load(config.nodejsKind()), false)
        .compose(definitions -> new CatalogInstaller(entities, clock, definitions).install())
        .mapEmpty();
  }

  /** Starts firing the stored alarms through {@code activator}. */
  public Future<Void> start(Activator activator) {
    return scheduler.start(activator);
  }

  /** Stops the alarm scheduler. */
  public Future<Void> stop() {
    return scheduler.stop();
  }

  public AlarmScheduler scheduler() {
    return scheduler;
  }
}
