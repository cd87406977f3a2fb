package io.edgewhisk.sync.fakes;

import io.edgewhisk.spi.IdentityService;
import io.edgewhisk.spi.Subject;
import io.vertx.core.Future;
import io.vertx.serviceproxy.ServiceException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The SPI's identity service in memory: one subject per namespace, looked up by key as the API does. */
public final class InMemoryIdentities implements IdentityService {
  private final Map<String, Subject> byNamespace = new ConcurrentHashMap<>();

  @Override
  public Future<Subject> byKey(String authKey) {
    return Future.succeededFuture(byNamespace.values().stream().filter(s -> s.authKey().equals(authKey)).findFirst().orElse(null));
  }

  @Override
  public Future<Subject> byNamespace(String namespace) {
    return Future.succeededFuture(byNamespace.get(namespace));
  }

  @Override
  public Future<List<Subject>> list() {
    return Future.succeededFuture(List.copyOf(byNamespace.values()));
  }

  @Override
  public Future<Void> put(Subject subject) {
    byNamespace.put(subject.namespace(), subject);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> block(String namespace, boolean blocked) {
    Subject s = byNamespace.get(namespace);
    if (s == null) {
      return Future.failedFuture(new ServiceException(404, "no namespace " + namespace));
    }
    byNamespace.put(namespace, new Subject(s.subject(), namespace, s.uuid(), s.key(), blocked, s.limits()));
    return Future.succeededFuture();
  }

  @Override
  public Future<Boolean> delete(String namespace) {
    return Future.succeededFuture(byNamespace.remove(namespace) != null);
  }
}
