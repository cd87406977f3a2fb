package io.edgewhisk.mqtt.bridge;

import io.edgewhisk.mqtt.broker.InternalSubscriber;
import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.edgewhisk.mqtt.broker.Topics;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a bridge subscribes to on the remote broker (its in rules and the feeds on it) and who gets each message.
 * Each filter is subscribed once, at the highest QoS its subscribers want; on every new link the remote side is
 * brought in line (all again when the remote broker lost the session). Confined to the broker's event loop.
 */
public final class RemoteSubscriptions {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteSubscriptions.class);
  private final String bridge;
  /** filter → subscriber id → (qos, subscriber) */
  private final Map<String, Map<String, Wanted>> wanted = new LinkedHashMap<>();
  /** filter → QoS subscribed on the current link */
  private final Map<String, Integer> confirmed = new HashMap<>();
  private BridgeLink link;
  private boolean syncing;
  private boolean again;

  private record Wanted(int qos, InternalSubscriber subscriber) {}

  public RemoteSubscriptions(String bridge) {
    this.bridge = bridge;
  }

  public void add(String id, String filter, int qos, InternalSubscriber subscriber) {
    remove(id);
    wanted.computeIfAbsent(filter, f -> new LinkedHashMap<>()).put(id, new Wanted(qos, subscriber));
    sync();
  }

  public void remove(String id) {
    wanted.values().forEach(m -> m.remove(id));
    wanted.values().removeIf(Map::isEmpty);
    sync();
  }

  public void linkUp(BridgeLink up) {
    link = up;
    if (!up.sessionPresent()) {
      confirmed.clear();
    }
    sync();
  }

  public void linkDown() {
    link = null;
  }

  /** Delivers a message from the remote broker to every subscriber whose filter matches it. */
  public Future<Void> deliver(PublishedMessage m) {
    List<Future<Void>> accepted = new ArrayList<>();
    wanted.forEach((filter, subscribers) -> {
      if (Topics.matches(filter, m.topic())) {
        subscribers.values().forEach(w -> accepted.add(w.subscriber().deliver(m, Math.min(w.qos(), m.qos()))));
      }
    });
    return Future.all(accepted).mapEmpty();
  }

  /** Brings the remote side in line with {@link #wanted}, one exchange at a time. */
  private void sync() {
    if (link == null) {
      return;
    }
    if (syncing) {
      again = true;
      return;
    }
    List<BridgeLink.RemoteFilter> subscribe = new ArrayList<>();
    wanted.forEach((filter, subscribers) -> {
      // at most QoS 1 on the link: a QoS 2 message the remote broker had released (PUBREL) to a link that then
      // went would be lost to the next link's new client; QoS 1 resends are recognised by Redeliveries instead
      int qos = Math.min(1, subscribers.values().stream().mapToInt(Wanted::qos).max().orElse(0));
      if (!Integer.valueOf(qos).equals(confirmed.get(filter))) {
        subscribe.add(new BridgeLink.RemoteFilter(filter, qos));
      }
    });
    List<String> unsubscribe = confirmed.keySet().stream().filter(f -> !wanted.containsKey(f)).toList();
    if (subscribe.isEmpty() && unsubscribe.isEmpty()) {
      return;
    }
    syncing = true;
    BridgeLink on = link;
    Future<?> subscribed = subscribe.isEmpty() ? Future.succeededFuture() : on.subscribe(subscribe).map(granted -> {
      for (int i = 0; i < subscribe.size(); i++) {
        int g = i < granted.size() ? granted.get(i) : 0x80;
        if (g >= 0x80) {
          LOG.warn("Bridge {}: the remote broker refused the subscription to {} (0x{})", bridge,
              subscribe.get(i).filter(), Integer.toHexString(g));
        }
        confirmed.put(subscribe.get(i).filter(), subscribe.get(i).qos());
      }
      return null;
    });
    subscribed.compose(v -> unsubscribe.isEmpty() ? Future.succeededFuture() : on.unsubscribe(unsubscribe)
        .onSuccess(x -> unsubscribe.forEach(confirmed::remove))).onComplete(ar -> {
          syncing = false;
          if (ar.failed()) {
            LOG.warn("Bridge {}: subscribing on the remote broker failed: {}", bridge, ar.cause().getMessage());
          }
          // changes made meanwhile, or a new link that came up during the exchange (a failure on the same link
          // means the link is going: the next one syncs again)
          if (again || link != on) {
            again = false;
            sync();
          }
        });
  }
}
