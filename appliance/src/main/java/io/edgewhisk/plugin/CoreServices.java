package io.edgewhisk.plugin;

import io.edgewhisk.spi.EntityDocument;
import io.edgewhisk.spi.EntityService;
import io.edgewhisk.spi.FireOutcome;
import io.edgewhisk.spi.IdentityService;
import io.edgewhisk.spi.InvocationService;
import io.edgewhisk.spi.ServiceFailures;
import io.edgewhisk.spi.Subject;
import io.edgewhisk.spi.TriggerService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceBinder;
import java.util.List;

/**
 * Binds the core's services at their event-bus addresses, each behind {@link ServiceFailures}, so that a plugin's
 * client sees OpenWhisk's status and message. Answers the consumers, to unbind at shutdown.
 */
public final class CoreServices {
  private CoreServices() {}

  /** All the core's services, remote invocation included. */
  public static List<MessageConsumer<JsonObject>> bind(Vertx vertx, TriggerService triggers, IdentityService identities,
      EntityService entities, InvocationService invocations) {
    List<MessageConsumer<JsonObject>> bound = new java.util.ArrayList<>(bind(vertx, triggers, identities, entities));
    bound.add(new ServiceBinder(vertx).setAddress(InvocationService.ADDRESS).register(InvocationService.class,
        new Invoking(invocations)));
    return List.copyOf(bound);
  }

  public static List<MessageConsumer<JsonObject>> bind(Vertx vertx, TriggerService triggers, IdentityService identities,
      EntityService entities) {
    return List.of(
        new ServiceBinder(vertx).setAddress(TriggerService.ADDRESS).register(TriggerService.class,
            (TriggerService) (trigger, payload) -> ServiceFailures.<FireOutcome>of(triggers.fire(trigger, payload))),
        new ServiceBinder(vertx).setAddress(IdentityService.ADDRESS).register(IdentityService.class,
            new Identities(identities)),
        new ServiceBinder(vertx).setAddress(EntityService.ADDRESS).register(EntityService.class, new Entities(entities)));
  }

  private record Identities(IdentityService s) implements IdentityService {
    @Override
    public Future<Subject> byKey(String authKey) {
      return ServiceFailures.of(s.byKey(authKey));
    }

    @Override
    public Future<Subject> byNamespace(String namespace) {
      return ServiceFailures.of(s.byNamespace(namespace));
    }

    @Override
    public Future<List<Subject>> list() {
      return ServiceFailures.of(s.list());
    }

    @Override
    public Future<Void> put(Subject subject) {
      return ServiceFailures.of(s.put(subject));
    }

    @Override
    public Future<Void> block(String namespace, boolean blocked) {
      return ServiceFailures.of(s.block(namespace, blocked));
    }

    @Override
    public Future<Boolean> delete(String namespace) {
      return ServiceFailures.of(s.delete(namespace));
    }
  }

  private record Invoking(InvocationService s) implements InvocationService {
    @Override
    public Future<JsonObject> invoke(String action, String namespace, JsonObject parameters, String activationId,
        String cause) {
      return ServiceFailures.of(() -> s.invoke(action, namespace, parameters, activationId, cause));
    }

    @Override
    public Future<JsonObject> record(String namespace, String activationId) {
      return ServiceFailures.of(() -> s.record(namespace, activationId));
    }
  }

  private record Entities(EntityService s) implements EntityService {
    @Override
    public Future<EntityDocument> get(String name) {
      return ServiceFailures.of(s.get(name));
    }

    @Override
    public Future<EntityDocument> applyFromFleet(String type, String name, JsonObject body) {
      return ServiceFailures.of(s.applyFromFleet(type, name, body));
    }

    @Override
    public Future<Boolean> deleteFromFleet(String name) {
      return ServiceFailures.of(s.deleteFromFleet(name));
    }

    @Override
    public Future<Boolean> deleteAsOwner(String name) {
      return ServiceFailures.of(s.deleteAsOwner(name));
    }
  }
}
