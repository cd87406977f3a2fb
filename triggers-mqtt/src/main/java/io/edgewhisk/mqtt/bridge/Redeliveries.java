package io.edgewhisk.mqtt.bridge;

import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.vertx.core.Future;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recognises a QoS 1 message the remote broker sends again on a new link although the bridge had already taken and
 * acknowledged it (the acknowledgement was lost with the old link, e.g. when the remote broker stopped): MQTT
 * resends unacknowledged messages at the start of a resumed session, flagged DUP, with their packet id. A DUP
 * message whose packet id, topic and payload are those of one acknowledged on an earlier link is such a resend;
 * a message without DUP frees its packet id. The last {@code capacity} acknowledgements are remembered. A resend
 * may also come while the first copy is still being made durable (its link went and the next came quickly): that
 * one's outcome answers it.
 */
public final class Redeliveries {
  private final int capacity;
  private Map<Integer, Fingerprint> earlier = new HashMap<>();
  private LinkedHashMap<Integer, Fingerprint> current = new LinkedHashMap<>();
  /** packet id → a message being taken now (delivered, not yet durable) */
  private final Map<Integer, Taking> taking = new HashMap<>();

  private record Taking(Fingerprint fingerprint, Future<Void> done) {}

  private record Fingerprint(String topic, int length, int hash) {
    static Fingerprint of(PublishedMessage m) {
      return new Fingerprint(m.topic(), m.payload().length, Arrays.hashCode(m.payload()));
    }
  }

  public Redeliveries(int capacity) {
    this.capacity = Math.max(1, capacity);
  }

  /** A new link: what was acknowledged before may come again only if the remote broker kept the session. */
  public void newLink(boolean sessionPresent) {
    if (sessionPresent) {
      earlier.putAll(current);
    } else {
      earlier = new HashMap<>();
    }
    current = new LinkedHashMap<>();
  }

  /** Whether this message is a resend of one already taken (acknowledge it again, deliver it not). */
  public boolean isResend(PublishedMessage m, int packetId, boolean dup) {
    if (m.qos() != 1 || packetId <= 0) {
      return false;
    }
    Fingerprint before = earlier.remove(packetId);
    return dup && before != null && before.equals(Fingerprint.of(m));
  }

  /** The bridge is taking this message; {@code done} completes once it is durable here (or could not be). */
  public void taking(PublishedMessage m, int packetId, Future<Void> done) {
    if (m.qos() != 1 || packetId <= 0 || done.isComplete()) {
      return;
    }
    Taking t = new Taking(Fingerprint.of(m), done);
    taking.put(packetId, t);
    done.onComplete(ar -> taking.remove(packetId, t));
  }

  /** A DUP resend of a message still being taken: that one's outcome (acknowledge this one with it); else null. */
  public Future<Void> beingTaken(PublishedMessage m, int packetId, boolean dup) {
    if (!dup || m.qos() != 1 || packetId <= 0) {
      return null;
    }
    Taking t = taking.get(packetId);
    return t != null && t.fingerprint().equals(Fingerprint.of(m)) ? t.done() : null;
  }

  /** The bridge acknowledged this message to the remote broker. */
  public void acknowledged(PublishedMessage m, int packetId) {
    taken(m, packetId, true);
  }

  /**
   * The bridge took this message (it is durable here); {@code onCurrentLink} false: its link went before it could
   * be acknowledged, so the remote broker will send it again on a later link.
   */
  public void taken(PublishedMessage m, int packetId, boolean onCurrentLink) {
    if (m.qos() != 1 || packetId <= 0) {
      return;
    }
    if (!onCurrentLink) {
      earlier.put(packetId, Fingerprint.of(m));
      return;
    }
    current.remove(packetId);
    current.put(packetId, Fingerprint.of(m));
    if (current.size() > capacity) {
      current.remove(current.keySet().iterator().next());
    }
  }
}
