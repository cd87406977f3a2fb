package io.edgewhisk.spi;

import io.vertx.core.Future;

/** A running durable subscription; see {@link LogTopics#subscribe}. */
public interface LogSubscription {
  String topic();

  String consumer();

  /** Stops delivering; a batch whose handler runs finishes and is committed as usual. */
  Future<Void> cancel();
}
