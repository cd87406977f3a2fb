package io.edgewhisk.catalog;

import io.edgewhisk.spi.CatalogPackage;
import io.edgewhisk.store.EntityStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The built-in {@code /whisk.system} catalog as {@code Appliance} wires it: the {@code utils} package, and the
 * packages the plugins contribute (the alarms feeds among them), installed or upgraded at start-up.
 */
public final class Catalog {
  private final Vertx vertx;
  private final EntityStore entities;
  private final Clock clock;
  private final CatalogConfig config;
  private final List<CatalogPackage> contributed;

  private Catalog(Vertx vertx, EntityStore entities, Clock clock, CatalogConfig config, List<CatalogPackage> contributed) {
    this.vertx = vertx;
    this.entities = entities;
    this.clock = clock;
    this.config = config;
    this.contributed = List.copyOf(contributed);
  }

  /**
   * Builds the catalog; nothing is read yet. {@code entities} should be the store the API reads through (e.g.
   * its cache). {@code contributed} are the plugins' packages.
   */
  public static Catalog create(Vertx vertx, EntityStore entities, Clock clock, CatalogConfig config,
      List<CatalogPackage> contributed) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(entities, "entities");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(contributed, "contributed");
    return new Catalog(vertx, entities, clock, config, contributed);
  }

  /** Installs or upgrades {@code /whisk.system} (nothing when {@code edgewhisk.catalog.install} is off). */
  public Future<Void> install() {
    if (!config.install()) {
      return Future.succeededFuture();
    }
    // the definitions are classpath resources: read them off the event loop
    return vertx.executeBlocking(() -> CatalogDefinitions.load(config.nodejsKind(), contributed), false)
        .compose(definitions -> new CatalogInstaller(entities, clock, definitions).install())
        .mapEmpty();
  }
}
