package io.edgewhisk.mqtt.bridge;

import io.edgewhisk.mqtt.broker.PublishedMessage;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recognises a QoS 1 message the remote broker sends again on a new link although the bridge had already taken and
 * acknowledged it (the acknowledgement was lost with the old link, e.g. when the remote broker stopped): MQTT
 * resends unacknowledged messages at the start of a resumed session, flagged DUP, with their packet id. A DUP
 * message whose packet id, topic and payload are those of one acknowledged on an earlier link is such a resend;
 * a message without DUP frees its packet id. The last {@code capacity} acknowledgements are remembered.
 */
public final class Redeliveries {
  private final int capacity;
  private Map<Integer, Fingerprint> earlier = new HashMap<>();
  private LinkedHashMap<Integer, Fingerprint> current = new LinkedHashMap<>();

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
