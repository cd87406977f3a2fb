package io.edgewhisk.mqtt.feed;

import io.edgewhisk.model.WhiskException;
import io.edgewhisk.spi.FeedEvent;
import io.edgewhisk.spi.FeedProvider;
import io.edgewhisk.spi.ServiceFailures;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The provider of {@code /whisk.system/mqtt/subscribe}. The core has checked the feed protocol; this keeps the
 * trigger's registration in the plugin's table and makes the broker match it. A bad parameter is a 400 with
 * the reason, which the feed action answers as {@code {"error": …}}.
 */
public final class SubscribeFeed implements FeedProvider {
  public static final String ACTION = "mqtt/subscribe";
  private final FeedStore store;
  private final FeedSubscriptions subscriptions;
  private final FeedParameters parameters;
  private final LongSupplier clock;
  private final Map<String, FeedRegistration> known = new HashMap<>();

  public SubscribeFeed(FeedStore store, FeedSubscriptions subscriptions, java.util.Set<String> brokers,
                       LongSupplier clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
    this.parameters = new FeedParameters(brokers);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Brings back the stored registrations at start. */
  public Future<Void> restore() {
    return store.all().map(all -> {
      all.forEach(this::track);
      return null;
    });
  }

  public List<FeedRegistration> registrations() {
    return List.copyOf(known.values());
  }

  @Override
  public Future<JsonObject> lifecycle(FeedEvent event) {
    return ServiceFailures.of(() -> handle(event));
  }

  private Future<JsonObject> handle(FeedEvent e) {
    String trigger = e.trigger();
    long now = clock.getAsLong();
    return switch (e.lifecycleEvent()) {
      case "CREATE" -> save(parameters.create(trigger, e.namespace(), e.parameters(), now));
      case "UPDATE" -> save(parameters.merge(existing(trigger), e.parameters(), false, now));
      case "PAUSE" -> save(existing(trigger).withPaused(true, now));
      case "UNPAUSE" -> save(existing(trigger).withPaused(false, now));
      case "READ" -> Future.succeededFuture(read(existing(trigger)));
      case "DELETE" -> store.delete(trigger).map(found -> {
        known.remove(trigger);
        subscriptions.remove(trigger);
        if (!found) {
          throw new WhiskException(404, "no MQTT feed registered for trigger " + trigger);
        }
        return success();
      });
      default -> throw WhiskException.badRequest("unsupported lifecycleEvent " + e.lifecycleEvent());
    };
  }

  private FeedRegistration existing(String trigger) {
    FeedRegistration r = known.get(trigger);
    if (r == null) {
      throw new WhiskException(404, "no MQTT feed registered for trigger " + trigger);
    }
    return r;
  }

  private Future<JsonObject> save(FeedRegistration r) {
    return store.put(r).map(v -> {
      track(r);
      return success();
    });
  }

  private void track(FeedRegistration r) {
    known.put(r.trigger(), r);
    subscriptions.apply(r);
  }

  private static JsonObject read(FeedRegistration r) {
    return new JsonObject().put("config", r.config().put("triggerName", r.trigger()))
        .put("status", new JsonObject().put("active", !r.paused()).put("dateChanged", r.changed()));
  }

  private static JsonObject success() {
    return new JsonObject().put("status", "success");
  }
}
