package io.edgewhisk.plugin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.edgewhisk.spi.Plugin;
import io.edgewhisk.spi.PluginContext;
import io.edgewhisk.spi.PluginMigration;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A plugin that counts its starts and keeps its context: proves discovery, validation, migrations and
 * deployment. {@code edgewhisk.empty.size} must be positive when set.
 */
public final class EmptyPlugin implements Plugin {
  static final AtomicInteger STARTS = new AtomicInteger();
  static final AtomicReference<PluginContext> LAST = new AtomicReference<>();

  @Override
  public String name() {
    return "empty";
  }

  @Override
  public void validate(Config section) {
    if (section.hasPath("size") && section.getInt("size") <= 0) {
      throw new ConfigException.BadValue(section.origin(), "edgewhisk.empty.size", "must be positive");
    }
  }

  @Override
  public List<PluginMigration> migrations() {
    return List.of(PluginMigration.sql(1, "notes", "CREATE TABLE empty_notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)"));
  }

  @Override
  public Deployable create(PluginContext context) {
    LAST.set(context);
    return ctx -> {
      STARTS.incrementAndGet();
      return Future.succeededFuture();
    };
  }
}
