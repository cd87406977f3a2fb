package io.edgewhisk.spi;

import io.vertx.codegen.annotations.ProxyGen;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Subjects, namespaces, keys and limits (what fleet sync pulls from the central {@code subjects} database).
 * Every change is written through the core's single SQLite writer; the API's identity cache follows within a
 * second. On the event bus at {@value #ADDRESS}. Failures carry the HTTP status and OpenWhisk's message as a
 * {@link io.vertx.serviceproxy.ServiceException} (404 unknown namespace, 409 uuid taken, 400 bad value).
 */
@ProxyGen
@VertxGen
public interface IdentityService {
  String ADDRESS = "edgewhisk.identities";

  static IdentityService client(Vertx vertx) {
    return new IdentityServiceVertxEBProxy(vertx, ADDRESS);
  }

  /** The subject whose {@code uuid:key} this is, or null. A blocked subject is answered too (with {@code blocked}). */
  Future<Subject> byKey(String authKey);

  /** The namespace's subject, or null. */
  Future<Subject> byNamespace(String namespace);

  /** Every namespace. */
  Future<List<Subject>> list();

  /** Creates the namespace, or replaces its subject, credentials, blocked flag and limits. */
  Future<Void> put(Subject subject);

  /** Blocks (every request answers 403) or unblocks a namespace; 404 if none. */
  Future<Void> block(String namespace, boolean blocked);

  /** Removes the namespace and its key (not its entities); answers whether there was one. */
  Future<Boolean> delete(String namespace);
}
