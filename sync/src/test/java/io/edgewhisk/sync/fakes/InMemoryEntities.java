package io.edgewhisk.sync.fakes;

import io.edgewhisk.spi.EntityDocument;
import io.edgewhisk.spi.EntityService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The SPI's entity service in memory, checking what the core's REST PUT checks that matters to sync: a rule
 * needs its trigger and action, an action in a package needs the package, a binding its package (outside
 * {@code whisk.system}), a sequence its components; a local entity is not the fleet's to delete.
 */
public final class InMemoryEntities implements EntityService {
  private final Map<String, EntityDocument> entities = new ConcurrentHashMap<>();
  public final List<String> applied = new CopyOnWriteArrayList<>();

  public Map<String, EntityDocument> all() {
    return Map.copyOf(entities);
  }

  public EntityDocument entity(String name) {
    return entities.get(name);
  }

  public void putLocal(String type, String name, JsonObject entity) {
    entities.put(name, new EntityDocument(type, name, EntityDocument.LOCAL, entity));
  }

  @Override
  public Future<EntityDocument> get(String name) {
    return Future.succeededFuture(entities.get(name));
  }

  @Override
  public Future<EntityDocument> applyFromFleet(String type, String name, JsonObject body) {
    String missing = missingDependency(type, name, body);
    if (missing != null) {
      return Future.failedFuture(new ServiceException(404, "The requested resource '" + missing + "' does not exist."));
    }
    EntityDocument d = new EntityDocument(type, name, EntityDocument.FLEET, body);
    entities.put(name, d);
    applied.add(name);
    return Future.succeededFuture(d);
  }

  private String missingDependency(String type, String name, JsonObject body) {
    String[] parts = name.substring(1).split("/");
    if (parts.length == 3 && !entities.containsKey("/" + parts[0] + "/" + parts[1])) {
      return "/" + parts[0] + "/" + parts[1];
    }
    if (type.equals("rules")) {
      for (String ref : new String[] {body.getString("trigger"), body.getString("action")}) {
        if (!entities.containsKey(ref)) {
          return ref;
        }
      }
    }
    JsonObject binding = body.getJsonObject("binding");
    if (binding != null && !"whisk.system".equals(binding.getString("namespace"))) {
      String ref = "/" + binding.getString("namespace") + "/" + binding.getString("name");
      if (!entities.containsKey(ref)) {
        return ref;
      }
    }
    JsonObject exec = body.getJsonObject("exec");
    if (exec != null && "sequence".equals(exec.getString("kind"))) {
      for (Object c : exec.getJsonArray("components")) {
        if (!((String) c).startsWith("/whisk.system/") && !entities.containsKey((String) c)) {
          return (String) c;
        }
      }
    }
    return null;
  }

  @Override
  public Future<Boolean> deleteFromFleet(String name) {
    EntityDocument d = entities.get(name);
    if (d == null) {
      return Future.succeededFuture(false);
    }
    if (!EntityDocument.FLEET.equals(d.origin())) {
      return Future.failedFuture(new ServiceException(409, "The entity is local to this device."));
    }
    entities.remove(name);
    return Future.succeededFuture(true);
  }

  @Override
  public Future<Boolean> deleteAsOwner(String name) {
    EntityDocument d = entities.get(name);
    if (d != null && EntityDocument.FLEET.equals(d.origin())) {
      return Future.failedFuture(new ServiceException(409, "The entity is managed by the fleet."));
    }
    return Future.succeededFuture(entities.remove(name) != null);
  }
}
