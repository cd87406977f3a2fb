package io.edgewhisk.plugin;

import io.edgewhisk.spi.Plugin;
import io.edgewhisk.spi.PluginContext;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** A plugin that does nothing but count its starts: proves discovery and deployment. */
public final class EmptyPlugin implements Plugin {
  static final AtomicInteger STARTS = new AtomicInteger();

  @Override
  public String name() {
    return "empty";
  }

  @Override
  public Deployable create(PluginContext context) {
    return ctx -> {
      STARTS.incrementAndGet();
      return Future.succeededFuture();
    };
  }
}
