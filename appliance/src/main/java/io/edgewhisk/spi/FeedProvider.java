package io.edgewhisk.spi;

import io.vertx.codegen.annotations.ProxyGen;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A feed's provider (OpenWhisk's event provider, in-process). The core speaks OpenWhisk's feed protocol once
 * for every feed ({@code lifecycleEvent}, {@code triggerName}, {@code authKey} checked against the trigger's
 * owner, {@code {"error": …}} answers) and sends each checked event to the provider's address on the event
 * bus ({@value #ADDRESS_PREFIX}{@code <package>/<action>}), where {@link CatalogRegistry#provideFeed} bound it.
 *
 * <p>Answer {@code READ} with {@code {"config": {…}, "status": {…}}} as OpenWhisk's providers do, other events
 * with anything (the core answers {@code {"status": "success"}}, OpenWhisk's). Refuse with a failed future of
 * {@code new ServiceException(status, message)} ({@link ServiceFailures} turns OpenWhisk's errors into one): a 4xx
 * becomes the feed action's {@code {"error": message}} (an application error, as OpenWhisk's providers answer),
 * anything else a developer error.
 */
@ProxyGen
@VertxGen
public interface FeedProvider {
  String ADDRESS_PREFIX = "edgewhisk.feeds.";

  Future<JsonObject> lifecycle(FeedEvent event);
}
