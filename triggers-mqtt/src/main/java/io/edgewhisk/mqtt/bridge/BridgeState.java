package io.edgewhisk.mqtt.bridge;

import io.vertx.core.json.JsonObject;

/**
 * A bridge's state as operators see it: in {@code $SYS/edgewhisk/bridges/NAME/state} (retained, JSON), in
 * {@code /metrics} and in {@code /health}. {@code since} is when the link reached this state (epoch ms).
 * {@code resent}: messages sent again because their link went before the remote broker acknowledged them (each
 * may have arrived twice); {@code duplicatesIgnored}: the remote broker's resends of messages already taken (not
 * delivered again).
 */
public record BridgeState(String bridge, Link link, long since, long backlog, long inflight, long sent,
                          long resent, long received, long duplicatesIgnored, long droppedOutboxFull,
                          long droppedRefused, long droppedExpired,
                          long connects, long connectFailures, String lastError) {
  /** The link's state. */
  public enum Link { CONNECTING, CONNECTED, DISCONNECTED, STOPPED }

  public boolean connected() {
    return link == Link.CONNECTED;
  }

  public JsonObject toJson() {
    return new JsonObject().put("bridge", bridge).put("connected", connected())
        .put("state", link.name().toLowerCase(java.util.Locale.ROOT)).put("since", since).put("backlog", backlog)
        .put("inflight", inflight).put("sent", sent).put("resent", resent)
        .put("received", received).put("duplicatesIgnored", duplicatesIgnored)
        .put("dropped", new JsonObject().put("outboxFull", droppedOutboxFull).put("refused", droppedRefused)
            .put("expired", droppedExpired))
        .put("connects", connects).put("connectFailures", connectFailures).put("lastError", lastError);
  }
}
