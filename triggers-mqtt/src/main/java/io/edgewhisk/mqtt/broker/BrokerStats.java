package io.edgewhisk.mqtt.broker;

import java.util.EnumMap;
import java.util.Map;

/**
 * The broker's counters, the source of {@code $SYS/...} and of the plugin's metrics. Written only on the
 * broker's event loop; fields are volatile so a metrics scrape on another thread reads current values.
 */
public final class BrokerStats {
  private final long startedAt;
  volatile long clientsConnected;
  volatile long messagesReceived;
  volatile long messagesSent;
  volatile long bytesReceived;
  volatile long bytesSent;
  volatile long retainedCount;
  volatile long retainedRefused;
  volatile long connectionsRefused;
  volatile long connectionsClosedForLimits;
  private final Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
  private volatile long droppedTotal;

  public BrokerStats(long startedAt) {
    this.startedAt = startedAt;
  }

  public void received(int bytes) {
    messagesReceived++;
    bytesReceived += bytes;
  }

  public void sent(int bytes) {
    messagesSent++;
    bytesSent += bytes;
  }

  void countDrop(DropReason reason) {
    synchronized (dropped) {
      dropped.merge(reason, 1L, Long::sum);
    }
    droppedTotal++;
  }

  public void connectionRefused() {
    connectionsRefused++;
  }

  public void closedForLimit() {
    connectionsClosedForLimits++;
  }

  public long clientsConnected() {
    return clientsConnected;
  }

  public long messagesReceived() {
    return messagesReceived;
  }

  public long messagesSent() {
    return messagesSent;
  }

  public long bytesReceived() {
    return bytesReceived;
  }

  public long bytesSent() {
    return bytesSent;
  }

  public long droppedTotal() {
    return droppedTotal;
  }

  public long dropped(DropReason reason) {
    synchronized (dropped) {
      return dropped.getOrDefault(reason, 0L);
    }
  }

  public long retainedCount() {
    return retainedCount;
  }

  public long retainedRefused() {
    return retainedRefused;
  }

  public long connectionsRefused() {
    return connectionsRefused;
  }

  public long connectionsClosedForLimits() {
    return connectionsClosedForLimits;
  }

  public long uptimeSeconds(long now) {
    return (now - startedAt) / 1000;
  }
}
