package io.edgewhisk.spi;

import io.vertx.core.Future;

/**
 * Where a started plugin provides the code of the {@link CatalogAction}s its {@link Plugin#catalog()}
 * declares, named {@code <package>/<action>}. Until it is provided (and after the plugin stopped), running
 * the action answers 503.
 */
public interface CatalogRegistry {

  /** Binds {@code provider} on the event bus at {@link FeedProvider#ADDRESS_PREFIX}{@code action}. */
  Future<Void> provideFeed(String action, FeedProvider provider);

  /** Registers the code of an action that is not a feed. */
  void provideAction(String action, InProcessAction code);
}
