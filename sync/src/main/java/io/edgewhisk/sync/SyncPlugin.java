package io.edgewhisk.sync;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.edgewhisk.spi.AdminCommand;
import io.edgewhisk.spi.Plugin;
import io.edgewhisk.spi.PluginContext;
import io.edgewhisk.spi.PluginMigration;
import io.edgewhisk.sync.state.SyncSchema;
import io.edgewhisk.sync.status.StatusCommand;
import io.vertx.core.Deployable;
import java.util.List;

/** Fleet sync with a central Apache OpenWhisk cluster: the {@code sync} plugin (off unless enabled). */
public final class SyncPlugin implements Plugin {
  public static final String NAME = "sync";

  @Override
  public String name() {
    return NAME;
  }

  /** The section over this plugin's own defaults, so that a partial section is complete. */
  public static Config complete(Config section) {
    return section.withFallback(ConfigFactory.defaultReference(SyncPlugin.class.getClassLoader()).getConfig("edgewhisk.sync"));
  }

  @Override
  public void validate(Config section) {
    SyncConfig.from(complete(section));
  }

  @Override
  public boolean enabled(Config section) {
    return complete(section).getBoolean("enabled");
  }

  @Override
  public List<PluginMigration> migrations() {
    return SyncSchema.migrations();
  }

  @Override
  public List<AdminCommand> commands() {
    return List.of(new StatusCommand());
  }

  @Override
  public Deployable create(PluginContext context) {
    return new SyncVerticle(context, SyncConfig.from(complete(context.config())), version());
  }

  static String version() {
    String v = SyncPlugin.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
