package io.edgewhisk.spi;

import io.vertx.codegen.annotations.ProxyGen;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Actions, packages, triggers and rules. Reads, and the changes fleet sync applies: an entity put with
 * origin {@code fleet} is validated exactly like a REST {@code PUT …?overwrite=true} and written through
 * the API's entity cache; afterwards a REST write or delete of it answers 409 "managed by the fleet" and
 * changes nothing. On the event bus at {@value #ADDRESS}; every change, whoever made it, is published at
 * {@value #CHANGED} as {@code {"name", "change": "put"|"delete", "origin", "type"}} ({@code type}, the REST
 * collection, only on a put). Failures carry
 * OpenWhisk's status and message as a {@link io.vertx.serviceproxy.ServiceException}.
 */
@ProxyGen
@VertxGen
public interface EntityService {
  String ADDRESS = "edgewhisk.entities";
  /** Where entity changes are published (JSON, see the class comment). */
  String CHANGED = "edgewhisk.entities.changed";

  static EntityService client(Vertx vertx) {
    return new EntityServiceVertxEBProxy(vertx, ADDRESS);
  }

  /** The entity {@code /ns/[pkg/]name} of any type, or null. */
  Future<EntityDocument> get(String name);

  /**
   * Creates or replaces the entity as the fleet's: {@code type} is {@code actions}, {@code packages},
   * {@code triggers} or {@code rules}, {@code body} what a REST {@code PUT} would carry. Applying the same
   * body twice changes nothing but the version. Answers the stored entity.
   */
  Future<EntityDocument> applyFromFleet(String type, String name, JsonObject body);

  /** Deletes the fleet's entity; answers whether there was one. A local entity of that name is refused (409). */
  Future<Boolean> deleteFromFleet(String name);

  /**
   * Deletes an entity as its namespace's owner, exactly as a REST {@code DELETE} does (so a fleet-owned one
   * answers 409, and a package with entities in it is refused); answers whether there was one. For a plugin
   * that owns what it removes, like a fire-once alarm's {@code deleteAfterFire}.
   */
  Future<Boolean> deleteAsOwner(String name);
}
