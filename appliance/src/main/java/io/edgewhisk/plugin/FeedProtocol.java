package io.edgewhisk.plugin;

import io.edgewhisk.controller.BuiltinAction;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.Trigger;
import io.edgewhisk.model.WhiskException;
import io.edgewhisk.spi.FeedEvent;
import io.edgewhisk.spi.FeedProvider;
import io.edgewhisk.store.EntityStore;
import io.edgewhisk.store.SubjectStore;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * OpenWhisk's feed protocol, spoken once for every feed action a plugin provides: takes
 * {@code lifecycleEvent}, {@code triggerName} and {@code authKey} with the user's parameters, checks that the
 * key's namespace owns the trigger (and, but for a DELETE, that the trigger exists), and sends the checked
 * {@link FeedEvent} to the plugin's {@link FeedProvider}. Refusals answer {@code {"error": message}} (an
 * application error, as OpenWhisk's providers answer) with the messages of OpenWhisk's alarm provider.
 */
final class FeedProtocol implements BuiltinAction {
  static final String AUTH_FAILED = "Trigger authentication request failed.";
  private static final Set<String> EVENTS = Set.of("CREATE", "READ", "UPDATE", "DELETE", "PAUSE", "UNPAUSE");
  private static final Set<String> PROTOCOL = Set.of("lifecycleEvent", "triggerName", "authKey");

  private final String name;
  private final Supplier<FeedProvider> provider;
  private final SubjectStore subjects;
  private final EntityStore entities;

  FeedProtocol(String name, Supplier<FeedProvider> provider, SubjectStore subjects, EntityStore entities) {
    this.name = Objects.requireNonNull(name, "name");
    this.provider = Objects.requireNonNull(provider, "provider");
    this.subjects = Objects.requireNonNull(subjects, "subjects");
    this.entities = Objects.requireNonNull(entities, "entities");
  }

  @Override
  public String name() {
    return name;
  }

  /** {@code who} (the invoker) need not own the trigger: the authKey decides, as in OpenWhisk. */
  @Override
  public Future<JsonObject> run(Identity who, JsonObject args) {
    Future<JsonObject> outcome;
    try {
      outcome = handle(args == null ? new JsonObject() : args);
    } catch (WhiskException e) {
      outcome = Future.failedFuture(e);
    }
    return outcome.recover(FeedProtocol::answer);
  }

  private Future<JsonObject> handle(JsonObject args) {
    String event = args.getValue("lifecycleEvent") instanceof String s ? s : null;
    if (!(args.getValue("authKey") instanceof String authKey) || authKey.isEmpty()) {
      throw WhiskException.badRequest("no authKey parameter was provided");
    }
    if (!(args.getValue("triggerName") instanceof String triggerName) || triggerName.isEmpty()) {
      throw WhiskException.badRequest("no trigger name parameter was provided");
    }
    Identity owner = authenticate(authKey);
    FullyQualifiedName trigger = triggerOf(triggerName, owner);
    if (event == null || !EVENTS.contains(event)) {
      throw WhiskException.badRequest("unsupported lifecycleEvent");
    }
    JsonObject parameters = new JsonObject();
    args.forEach(e -> {
      if (!PROTOCOL.contains(e.getKey())) {
        parameters.put(e.getKey(), e.getValue());
      }
    });
    FeedEvent checked = new FeedEvent(event, trigger.absolute(), owner.namespace(), owner.subject(), parameters);
    Future<Void> exists = event.equals("DELETE") ? Future.succeededFuture() : requireTrigger(trigger);
    return exists.compose(v -> provider.get().lifecycle(checked))
        .map(result -> event.equals("READ") ? (result == null ? new JsonObject() : result) : success());
  }

  private Identity authenticate(String authKey) {
    int colon = authKey.indexOf(':');
    Identity owner = colon < 0 ? null : subjects.authenticate(authKey.substring(0, colon), authKey.substring(colon + 1));
    if (owner == null) {
      throw new WhiskException(401, AUTH_FAILED);
    }
    return owner;
  }

  /** The trigger named {@code /ns/name}, {@code /_/name} or {@code name}, which the key's namespace must own. */
  private static FullyQualifiedName triggerOf(String triggerName, Identity owner) {
    FullyQualifiedName fqn;
    try {
      fqn = FullyQualifiedName.parse(triggerName, owner.namespace());
    } catch (WhiskException e) {
      throw WhiskException.badRequest("the trigger name '" + triggerName + "' is not valid");
    }
    if (fqn.pkg() != null) {
      throw WhiskException.badRequest("the trigger name '" + triggerName + "' is not valid");
    }
    if ("_".equals(fqn.namespace())) {
      fqn = FullyQualifiedName.of(owner.namespace(), fqn.name());
    }
    if (!fqn.namespace().equals(owner.namespace())) {
      throw new WhiskException(403, AUTH_FAILED);
    }
    return fqn;
  }

  /** OpenWhisk's providers read the trigger with the authKey before any change but a delete. */
  private Future<Void> requireTrigger(FullyQualifiedName trigger) {
    return entities.get(trigger).compose(e -> e instanceof Trigger
        ? Future.succeededFuture()
        : Future.failedFuture(new WhiskException(404, AUTH_FAILED)));
  }

  /** A 4xx refusal (ours or the provider's) is the feed's {@code {"error": …}}; anything else a developer error. */
  private static Future<JsonObject> answer(Throwable t) {
    int status = t instanceof WhiskException w ? w.status()
        : t instanceof ServiceException s ? s.failureCode()
        : t instanceof ReplyException r && r.failureType() == io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE ? r.failureCode()
        : -1;
    if (status >= 400 && status < 500) {
      return Future.succeededFuture(new JsonObject().put("error", t.getMessage()));
    }
    if (t instanceof ReplyException r && r.failureType() == io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS) {
      return Future.failedFuture(WhiskException.unavailable("The feed's provider is not running."));
    }
    return Future.failedFuture(t);
  }

  private static JsonObject success() {
    return new JsonObject().put("status", "success");
  }
}
