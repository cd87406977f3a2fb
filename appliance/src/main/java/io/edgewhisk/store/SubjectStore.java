package io.edgewhisk.store;

import io.edgewhisk.model.Identity;
import io.edgewhisk.model.NamespaceLimits;
import io.vertx.core.Future;
import java.util.List;

/**
 * Subjects, their namespaces, keys and limits. Authentication is answered from an in-memory cache that
 * follows changes made by other processes (the admin CLI) within about a second, so the hot path runs
 * no query.
 */
public interface SubjectStore {

  /** The identity whose credentials these are, from the cache; null if none matches. */
  Identity authenticate(String uuid, String key);

  /** The identity of a namespace, from the cache; null if none. */
  Identity identityOf(String namespace);

  /** Whether the namespace is blocked (its key refused), from the cache. */
  boolean isBlocked(String namespace);

  /** Every namespace's identity, by namespace name. */
  Future<List<Identity>> list();

  /** Creates a namespace owned by {@code subject} with a fresh random key; 409 if it exists. */
  Future<Identity> create(String subject, String namespace);

  /** Creates or replaces a namespace with the given credentials (for {@code --dev}'s fixed keys). */
  Future<Identity> put(String subject, String namespace, String uuid, String key);

  /** Gives the namespace a new random key (same uuid); the old key stops working. 404 if none. */
  Future<Identity> rotateKey(String namespace);

  /** Removes the namespace and its key (not its entities); 404 if none. */
  Future<Void> delete(String namespace);

  /** The namespace's own limits (unset fields null); 404 if none. */
  Future<NamespaceLimits> limits(String namespace);

  /** Replaces the namespace's own limits; 404 if none. */
  Future<Void> setLimits(String namespace, NamespaceLimits limits);
}
