package io.edgewhisk.log;

import io.vertx.core.Future;

/** A running delivery of a topic's records to a named consumer; see {@link AppendLog#subscribe}. */
public interface Subscription {
  Topic topic();

  String consumer();

  /** Stops delivering. A batch whose handler is running finishes; its offsets are committed as usual. */
  Future<Void> cancel();
}
