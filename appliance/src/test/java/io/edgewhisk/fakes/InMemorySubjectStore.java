package io.edgewhisk.fakes;

import io.edgewhisk.model.Identity;
import io.edgewhisk.model.NamespaceLimits;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.store.SubjectStore;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link SubjectStore} in maps, for fast tests. */
public final class InMemorySubjectStore implements SubjectStore {
  private final Map<String, Identity> byNamespace = new ConcurrentHashMap<>();
  private final Map<String, NamespaceLimits> ownLimits = new ConcurrentHashMap<>();
  private final java.util.Set<String> blocked = ConcurrentHashMap.newKeySet();
  private final NamespaceLimits defaults;

  public InMemorySubjectStore(NamespaceLimits defaults) {
    this.defaults = defaults;
  }

  @Override
  public Identity authenticate(String uuid, String key) {
    return byNamespace.values().stream().filter(i -> i.uuid().equals(uuid) && i.key().equals(key))
        .filter(i -> !blocked.contains(i.namespace())).findFirst().orElse(null);
  }

  /** Blocks or unblocks a namespace: its key stops working. */
  public void block(String namespace, boolean block) {
    if (block) {
      blocked.add(namespace);
    } else {
      blocked.remove(namespace);
    }
  }

  @Override
  public boolean isBlocked(String namespace) {
    return blocked.contains(namespace);
  }

  @Override
  public Identity identityOf(String namespace) {
    return byNamespace.get(namespace);
  }

  @Override
  public Future<List<Identity>> list() {
    return Future.succeededFuture(List.copyOf(byNamespace.values()));
  }

  @Override
  public Future<Identity> create(String subject, String namespace) {
    if (byNamespace.containsKey(namespace)) {
      return Future.failedFuture(WhiskException.alreadyExists());
    }
    return put(subject, namespace, UUID.randomUUID().toString(), randomKey());
  }

  @Override
  public Future<Identity> put(String subject, String namespace, String uuid, String key) {
    Identity i = new Identity(subject, namespace, uuid, key,
        ownLimits.getOrDefault(namespace, NamespaceLimits.NONE).orDefaults(defaults));
    byNamespace.put(namespace, i);
    return Future.succeededFuture(i);
  }

  @Override
  public Future<Identity> rotateKey(String namespace) {
    Identity i = byNamespace.get(namespace);
    if (i == null) {
      return Future.failedFuture(WhiskException.notFound(namespace));
    }
    return put(i.subject(), namespace, i.uuid(), randomKey());
  }

  @Override
  public Future<Void> delete(String namespace) {
    return byNamespace.remove(namespace) == null
        ? Future.failedFuture(WhiskException.notFound(namespace))
        : Future.succeededFuture();
  }

  @Override
  public Future<NamespaceLimits> limits(String namespace) {
    return Future.succeededFuture(ownLimits.getOrDefault(namespace, NamespaceLimits.NONE));
  }

  @Override
  public Future<Void> setLimits(String namespace, NamespaceLimits limits) {
    Identity i = byNamespace.get(namespace);
    if (i == null) {
      return Future.failedFuture(WhiskException.notFound(namespace));
    }
    ownLimits.put(namespace, limits);
    return put(i.subject(), namespace, i.uuid(), i.key()).mapEmpty();
  }

  private static String randomKey() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom r = new SecureRandom();
    StringBuilder b = new StringBuilder(64);
    for (int i = 0; i < 64; i++) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
