package io.edgewhisk.mqtt.bridge;

import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Sends the outbox's batches over the current link, in order, with at most {@code window} unacknowledged at a time.
 * A batch's future completes (and the outbox commits it) only once every message in it was acknowledged by the
 * remote broker, or skipped (expired, refused by the remote broker, unreadable: each counted). While there is no
 * link the batch waits; when a link comes up, what was not acknowledged goes out again, in order, at once. A
 * message that was in flight when its link went is sent again and counted ({@link #resent()}): if the remote
 * broker had taken it and only its acknowledgement was lost, it arrives twice (QoS 1 and a new connection's QoS 2
 * alike cannot tell the remote broker it is a resend). Confined to the broker's event loop.
 */
public final class OutboxSender {
  private final int window;
  private final LongSupplier clock;
  private final Events events;
  private List<Entry> batch = List.of();
  private Promise<Void> batchDone;
  private BridgeLink link;
  /** Bumped whenever the link changes, so that answers of an old link are ignored. */
  private long generation;
  private int inflight;
  private int nextToSend;
  private long resent;
  /**
   * After the remote broker dropped the link for a message it cannot take (MQTT 5 DISCONNECT 0x95 packet too
   * large, 0x90 topic name invalid, …): send one at a time, and skip the message that is alone in flight when it
   * happens again, so that one bad message cannot hold the outbox for ever.
   */
  private boolean probing;
  private Entry probe;
  /** While probing: the last message that was in flight when the link was dropped (one of them is to blame). */
  private int probeUntil;

  /** What the sender reports, for the bridge's metrics and state. */
  public interface Events {
    void acknowledged(PublishedMessage m);

    void skipped(PublishedMessage m, String reason);

    /** A send failed in a way that means the link is not working; the bridge drops the link and reconnects. */
    void linkFailed(BridgeLink link, Throwable cause);
  }

  public OutboxSender(int window, LongSupplier clock, Events events) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1");
    }
    this.window = window;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.events = Objects.requireNonNull(events, "events");
  }

  /** The outbox's handler: the future completes when the whole batch is acknowledged or skipped. */
  public Future<Void> send(List<PublishedMessage> messages) {
    List<Entry> entries = new ArrayList<>(messages.size());
    for (PublishedMessage m : messages) {
      entries.add(new Entry(m));
    }
    batch = entries;
    batchDone = Promise.promise();
    nextToSend = 0;
    inflight = 0;
    Future<Void> done = batchDone.future();
    pump();
    return done;
  }

  public void linkUp(BridgeLink up) {
    link = Objects.requireNonNull(up, "up");
    generation++;
    inflight = 0;
    nextToSend = 0;
    pump();
  }

  public void linkDown() {
    linkDown(false);
  }

  /** The link is gone; {@code refusedMessage}: the remote broker closed it because of a message it was sent. */
  public void linkDown(boolean refusedMessage) {
    if (refusedMessage) {
      if (probing && probe != null && !probe.done) {
        finish(probe, "refused");
        probing = false;
      } else {
        probing = true;
        probeUntil = nextToSend - 1;
      }
    }
    for (Entry e : batch) {
      if (e.sent && !e.done) {
        e.sent = false;
        resent++; // it goes out again on the next link
      }
    }
    probe = null;
    link = null;
    generation++;
    inflight = 0;
    nextToSend = 0;
    completeIfDone();
  }

  /**
   * Gives up the current batch (the bridge stops): its future fails, so the outbox does not commit it and the next
   * start sends it again; without this, stopping while the link is down would wait for ever.
   */
  public void abort() {
    linkDown();
    Promise<Void> pending = batchDone;
    batchDone = null;
    batch = List.of();
    if (pending != null) {
      pending.tryFail("the bridge stopped");
    }
  }

  /** Messages of the current batch sent and not yet acknowledged. */
  public int inflight() {
    return inflight;
  }

  /**
   * Messages that were in flight when their link went, so sent (or to be sent) again: each may arrive at the
   * remote broker twice. Since start.
   */
  public long resent() {
    return resent;
  }

  private void pump() {
    while (batchDone != null && link != null && inflight < (probing ? 1 : window) && nextToSend < batch.size()) {
      int index = nextToSend++;
      Entry e = batch.get(index);
      if (e.done) {
        continue;
      }
      if (e.message == null) {
        finish(e, "unreadable");
        continue;
      }
      if (e.message.expired(clock.getAsLong())) {
        finish(e, "expired");
        continue;
      }
      inflight++;
      e.sent = true;
      if (probing) {
        probe = e;
      }
      long sentOn = generation;
      BridgeLink via = link;
      via.publish(e.message).onComplete(ar -> {
        if (sentOn != generation) {
          return; // the link changed meanwhile: the message is (or was) sent again on the new one
        }
        inflight--;
        if (ar.succeeded()) {
          e.done = true;
          if (index >= probeUntil) {
            probing = false; // every message in flight at the drop went through: whatever it was, it passed
          }
          probe = null;
          events.acknowledged(e.message);
          completeIfDone();
          pump();
        } else if (ar.cause() instanceof BridgeLink.PublishRefused refused) {
          finish(e, "refused");
          pump();
        } else {
          events.linkFailed(via, ar.cause());
        }
      });
    }
    completeIfDone();
  }

  private void finish(Entry e, String reason) {
    e.done = true;
    events.skipped(e.message, reason);
  }

  private void completeIfDone() {
    if (batchDone == null) {
      return;
    }
    for (Entry e : batch) {
      if (!e.done) {
        return;
      }
    }
    Promise<Void> done = batchDone;
    batchDone = null;
    batch = List.of();
    done.complete();
  }

  private static final class Entry {
    final PublishedMessage message;
    boolean done;
    /** sent on the current link and not answered yet */
    boolean sent;

    Entry(PublishedMessage message) {
      this.message = message;
    }
  }
}
