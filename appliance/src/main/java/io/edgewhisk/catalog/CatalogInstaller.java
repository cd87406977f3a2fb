package io.edgewhisk.catalog;

import io.edgewhisk.model.Action;
import io.edgewhisk.model.EntityType;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.WhiskEntity;
import io.edgewhisk.model.WhiskPackage;
import io.edgewhisk.store.EntityChange;
import io.edgewhisk.store.EntityStore;
import io.edgewhisk.store.EntityStore.EntityListQuery;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs and upgrades the built-in catalog in {@code /whisk.system} at start-up: creates what is missing,
 * updates (version bumped) what differs from the definitions, and removes actions of the catalog's packages
 * that the definitions no longer have, all in one atomic batch. Comparing the stored entities themselves
 * (not a hash annotation) keeps the entities as OpenWhisk shows them; when nothing changed it only reads.
 */
public final class CatalogInstaller {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogInstaller.class);

  private final EntityStore entities;
  private final Clock clock;
  private final CatalogDefinitions definitions;

  public CatalogInstaller(EntityStore entities, Clock clock, CatalogDefinitions definitions) {
    this.entities = Objects.requireNonNull(entities, "entities");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.definitions = Objects.requireNonNull(definitions, "definitions");
  }

  /**
   * With the default Node.js kind of the utils actions ({@value CatalogConfig#DEFAULT_NODEJS_KIND}); reads the
   * definitions from the classpath here, so construct it off the event loop.
   */
  public CatalogInstaller(EntityStore entities, Clock clock) {
    this(entities, clock, CatalogDefinitions.load(CatalogConfig.DEFAULT_NODEJS_KIND));
  }

  /** Brings {@code /whisk.system} in line with the definitions; completes with the number of entities written. */
  public Future<Integer> install() {
    List<WhiskEntity> wanted = definitions.entities();
    List<Future<WhiskEntity>> reads = new ArrayList<>();
    wanted.forEach(e -> reads.add(entities.get(e.fqn())));
    List<Future<List<WhiskEntity>>> lists = new ArrayList<>();
    for (FullyQualifiedName pkg : definitions.packages()) {
      lists.add(entities.list(new EntityListQuery(pkg.namespace(), EntityType.ACTION, pkg.name(), false, 0, 0)));
    }
    return Future.all(reads).compose(r -> Future.all(lists).compose(l -> {
      long now = clock.millis();
      List<EntityChange> changes = new ArrayList<>();
      Set<FullyQualifiedName> names = new HashSet<>();
      for (int i = 0; i < wanted.size(); i++) {
        WhiskEntity want = wanted.get(i);
        WhiskEntity stored = r.resultAt(i);
        names.add(want.fqn());
        if (stored == null) {
          changes.add(new EntityChange.Create(stamped(want, want.version(), now)));
        } else if (!sameContent(stored, want)) {
          changes.add(new EntityChange.Update(stamped(want, stored.version().bumpPatch(), now), stored.version()));
        }
      }
      Map<FullyQualifiedName, WhiskEntity> stale = new HashMap<>();
      for (int i = 0; i < lists.size(); i++) {
        List<WhiskEntity> inPackage = l.resultAt(i);
        inPackage.stream().filter(e -> !names.contains(e.fqn())).forEach(e -> stale.put(e.fqn(), e));
      }
      stale.values().forEach(e -> changes.add(new EntityChange.Delete(e.fqn(), e.version())));
      if (changes.isEmpty()) {
        LOG.info("Catalog /{} is up to date", CatalogDefinitions.NAMESPACE);
        return Future.succeededFuture(0);
      }
      return entities.apply(changes).map(v -> {
        LOG.info("Catalog /{} installed: {} entities written", CatalogDefinitions.NAMESPACE, changes.size());
        return changes.size();
      });
    }));
  }

  /** Equal but for version and date, compared in the stored JSON form. */
  static boolean sameContent(WhiskEntity stored, WhiskEntity wanted) {
    return stored.type() == wanted.type() && comparable(stored).equals(comparable(wanted));
  }

  private static String comparable(WhiskEntity e) {
    JsonObject o = new JsonObject(e.toJson().encode());
    o.remove("version");
    o.remove("updated");
    return o.encode();
  }

  private static WhiskEntity stamped(WhiskEntity e, io.edgewhisk.model.SemVer version, long now) {
    if (e instanceof Action a) {
      return new Action(a.fqn(), version, a.publish(), a.exec(), a.parameters(), a.annotations(), a.limits(), now);
    }
    WhiskPackage p = (WhiskPackage) e;
    return new WhiskPackage(p.fqn(), version, p.publish(), p.binding(), p.parameters(), p.annotations(), now);
  }
}
