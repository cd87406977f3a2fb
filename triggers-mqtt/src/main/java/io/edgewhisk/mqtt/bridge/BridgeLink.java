package io.edgewhisk.mqtt.bridge;

import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.vertx.core.Future;
import java.util.List;

/**
 * One connection to a remote broker (a new one for each connection attempt), the only view the bridge has of the
 * MQTT client library. Every future completes, and every {@link Listener} call runs, on the bridge's context.
 */
public interface BridgeLink {

  /**
   * Sends a message; completes once the remote broker acknowledged it (PUBACK for QoS 1, PUBCOMP for QoS 2) or,
   * for QoS 0, once it was written. Fails with {@link PublishRefused} when the remote broker refused it (an MQTT 5
   * reason code), with anything else when the link went down first.
   */
  Future<Void> publish(PublishedMessage message);

  /** Subscribes to remote topic filters; answers the granted QoS of each (0x80 and up: refused). */
  Future<List<Integer>> subscribe(List<RemoteFilter> filters);

  Future<Void> unsubscribe(List<String> filters);

  /** Whether the remote broker still had the link's session (CONNACK session present). */
  boolean sessionPresent();

  /** Closes the connection (without a will, without waiting for anything in flight). */
  Future<Void> close();

  /** A remote subscription: a topic filter and the highest QoS wanted. */
  record RemoteFilter(String filter, int qos) {}

  /** The remote broker refused a message (MQTT 5 reason code {@code reasonCode}, 0x80 or more). */
  final class PublishRefused extends RuntimeException {
    private final int reasonCode;

    public PublishRefused(int reasonCode) {
      this(reasonCode, String.format("the remote broker refused the message (reason code 0x%02X)", reasonCode));
    }

    public PublishRefused(int reasonCode, String message) {
      super(message);
      this.reasonCode = reasonCode;
    }

    public int reasonCode() {
      return reasonCode;
    }
  }

  /**
   * The remote broker closed the link blaming a message it was sent (MQTT 5 DISCONNECT 0x95 packet too large, 0x90
   * topic name invalid, …), without saying which of those in flight.
   */
  final class DroppedForMessage extends RuntimeException {
    public DroppedForMessage(int reasonCode) {
      super(String.format("the remote broker closed the link for a message it cannot take (reason code 0x%02X)",
          reasonCode));
    }
  }

  /** What the link reports, on the bridge's context. */
  interface Listener {
    /**
     * A message from a remote subscription ({@code publisher} says which bridge), with its packet id and DUP
     * flag. The remote broker is acknowledged when {@code acknowledge} is called: only once the message is
     * durable here.
     */
    void received(BridgeLink link, PublishedMessage message, int packetId, boolean dup, Runnable acknowledge);

    /** The connection is gone (closed by the peer, a network error, or no answer within the keep-alive). */
    void lost(BridgeLink link, Throwable cause);
  }

  /** Opens links; {@link io.edgewhisk.mqtt.bridge.paho} is the real one, tests use a fake. */
  interface Factory {
    /** Connects; fails with the reason when no URL of the bridge could be reached or the remote refused. */
    Future<BridgeLink> connect(LinkSettings settings, Listener listener);
  }

  /** What one connection attempt needs beyond the bridge's configuration. */
  record LinkSettings(io.edgewhisk.mqtt.config.BridgeConfig config, String clientId, char[] password) {}
}
