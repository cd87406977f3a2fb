package io.edgewhisk.mqtt.bridge;

import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * A remote broker for unit tests: connection attempts succeed or fail as the test says, each link records what it
 * was sent and acknowledges it when told (or at once), and the test can lose a link or send a message down it.
 */
final class FakeLinks implements BridgeLink.Factory {
  final List<FakeLink> links = new ArrayList<>();
  int attempts;
  boolean reachable = true;
  boolean autoAck = true;
  boolean sessionPresent;

  @Override
  public Future<BridgeLink> connect(BridgeLink.LinkSettings settings, BridgeLink.Listener listener) {
    attempts++;
    if (!reachable) {
      return Future.failedFuture("connection refused");
    }
    FakeLink l = new FakeLink(listener);
    links.add(l);
    return Future.succeededFuture(l);
  }

  FakeLink current() {
    return links.get(links.size() - 1);
  }

  final class FakeLink implements BridgeLink {
    final BridgeLink.Listener listener;
    final List<PublishedMessage> published = new ArrayList<>();
    final List<Promise<Void>> unacked = new ArrayList<>();
    final List<String> subscribed = new ArrayList<>();
    final List<String> acks = new ArrayList<>();
    boolean closed;

    FakeLink(BridgeLink.Listener listener) {
      this.listener = listener;
    }

    @Override
    public Future<Void> publish(PublishedMessage m) {
      if (closed) {
        return Future.failedFuture("closed");
      }
      published.add(m);
      if (autoAck) {
        return Future.succeededFuture();
      }
      Promise<Void> p = Promise.promise();
      unacked.add(p);
      return p.future();
    }

    void ackNext() {
      unacked.remove(0).complete();
    }

    @Override
    public Future<List<Integer>> subscribe(List<RemoteFilter> filters) {
      List<Integer> granted = new ArrayList<>();
      filters.forEach(f -> {
        subscribed.add(f.filter() + "@" + f.qos());
        granted.add(f.qos());
      });
      return Future.succeededFuture(granted);
    }

    @Override
    public Future<Void> unsubscribe(List<String> filters) {
      filters.forEach(f -> subscribed.add("-" + f));
      return Future.succeededFuture();
    }

    @Override
    public boolean sessionPresent() {
      return sessionPresent;
    }

    @Override
    public Future<Void> close() {
      closed = true;
      return Future.succeededFuture();
    }

    void lose() {
      closed = true;
      List<Promise<Void>> pending = new ArrayList<>(unacked);
      unacked.clear();
      pending.forEach(p -> p.tryFail("link lost"));
      listener.lost(this, new RuntimeException("link lost"));
    }

    void receive(PublishedMessage m) {
      receive(m, 0, false);
    }

    void receive(PublishedMessage m, int packetId, boolean dup) {
      listener.received(this, m, packetId, dup, () -> acks.add(m.topic()));
    }
  }
}
