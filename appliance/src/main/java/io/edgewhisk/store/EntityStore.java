package io.edgewhisk.store;

import io.edgewhisk.model.EntityType;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.WhiskEntity;
import io.vertx.core.Future;
import java.util.List;

/**
 * Actions, packages, triggers and rules. Names are unique across the four types (as OpenWhisk's
 * document ids are). Writes are optimistic: an update or delete names the version it read and fails
 * with 409 "Concurrent modification to resource detected." if the stored one has moved on.
 */
public interface EntityStore {

  /** The entity with this name, of any type, or null. */
  Future<WhiskEntity> get(FullyQualifiedName fqn);

  /**
   * Applies the changes atomically, all or none. Fails with 409 "resource already exists" when a
   * {@link EntityChange.Create} names an existing entity, and with 409 "Concurrent modification…" when an
   * update or delete finds another version than it expects (or nothing).
   */
  default Future<Void> apply(List<EntityChange> changes) {
    return apply(changes, Origin.LOCAL);
  }

  /**
   * Applies the changes as {@code origin}'s. With {@link Origin#LOCAL} (a REST write), an update or delete of
   * an entity the fleet owns fails with 409 {@link Origin#FLEET_MANAGED} and changes nothing; with
   * {@link Origin#FLEET}, created or updated entities become the fleet's.
   */
  Future<Void> apply(List<EntityChange> changes, Origin origin);

  /** Who owns the entity, or null when there is none. */
  Future<Origin> origin(FullyQualifiedName fqn);

  /**
   * Entities of one type in a namespace, newest {@code updated} first. {@code pkg} null lists every one of
   * the type in the namespace, including those in packages; otherwise only those in that package.
   * {@code publicOnly} keeps only entities with {@code publish} true (for another namespace's listing).
   */
  Future<List<WhiskEntity>> list(EntityListQuery query);

  Future<Long> count(EntityListQuery query);

  /** Who owns an entity: this device ({@code local}) or the fleet ({@code fleet}, applied by sync). */
  enum Origin {
    LOCAL("local"), FLEET("fleet");

    /** The message of the 409 a local write of a fleet-owned entity answers. */
    public static final String FLEET_MANAGED = "The entity is managed by the fleet: change it in the central "
        + "OpenWhisk, from which this device takes it.";

    private final String word;

    Origin(String word) {
      this.word = word;
    }

    /** As stored in {@code entities.origin}. */
    public String word() {
      return word;
    }

    public static Origin fromWord(String word) {
      return "fleet".equals(word) ? FLEET : LOCAL;
    }
  }

  /** What to list: see {@link #list}. */
  record EntityListQuery(String namespace, EntityType type, String pkg, boolean publicOnly, int skip, int limit) {}
}
