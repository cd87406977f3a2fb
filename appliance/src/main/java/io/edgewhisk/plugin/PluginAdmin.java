package io.edgewhisk.plugin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.edgewhisk.config.ApplianceConfig;
import io.edgewhisk.config.ConfigLoader;
import io.edgewhisk.spi.AdminCommand;
import io.edgewhisk.spi.AdminContext;
import io.edgewhisk.spi.IdentityService;
import io.edgewhisk.spi.Plugin;
import io.edgewhisk.spi.PluginDatabase;
import io.edgewhisk.store.sqlite.Database;
import io.edgewhisk.store.sqlite.SqliteIdentityService;
import io.edgewhisk.store.sqlite.SqliteSubjectStore;
import io.edgewhisk.store.sqlite.StoreConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a plugin's {@link AdminCommand} ({@code edgewhisk <word> …}) in this short-lived process: loads the
 * configuration as {@code serve} does, checks the plugin's section, opens the state directory's database
 * beside a running server (WAL, busy timeout), applies the plugin's migrations, and hands the command its
 * context. {@code --state-dir} and {@code --config} are taken out of the arguments anywhere.
 */
public final class PluginAdmin {
  private final PluginLoader loader;

  public PluginAdmin(ClassLoader classLoader) {
    this.loader = new PluginLoader(classLoader);
  }

  /** The plugin that contributes {@code word}, with the command. */
  public Optional<Found> find(String word) {
    for (Plugin p : loader.discover()) {
      for (AdminCommand c : p.commands()) {
        if (c.word().equals(word)) {
          return Optional.of(new Found(p, c));
        }
      }
    }
    return Optional.empty();
  }

  /** Every plugin command's usage lines. */
  public List<String> usages() {
    List<String> out = new ArrayList<>();
    loader.discover().forEach(p -> p.commands().forEach(c -> out.add(c.usage())));
    return out;
  }

  /** A plugin and one of its commands. */
  public record Found(Plugin plugin, AdminCommand command) {}

  /** Runs {@code found} with {@code args} (everything after the word); answers the exit status. */
  public int run(Found found, List<String> args, PrintStream out, PrintStream err) {
    String word = found.command().word();
    Path stateDir = null;
    Path configFile = null;
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if ((a.equals("--state-dir") || a.equals("--config")) && i + 1 >= args.size()) {
        err.println("edgewhisk " + word + ": " + a + " needs a value");
        return 2;
      }
      if (a.equals("--state-dir")) {
        stateDir = Path.of(args.get(++i));
      } else if (a.startsWith("--state-dir=")) {
        stateDir = Path.of(a.substring("--state-dir=".length()));
      } else if (a.equals("--config")) {
        configFile = Path.of(args.get(++i));
      } else if (a.startsWith("--config=")) {
        configFile = Path.of(a.substring("--config=".length()));
      } else {
        rest.add(a);
      }
    }
    ApplianceConfig config;
    Config section;
    try {
      config = ConfigLoader.applianceConfig(configFile, stateDir);
      section = PluginLoader.section(config.raw(), found.plugin().name());
      found.plugin().validate(section);
    } catch (ConfigException e) {
      err.println("edgewhisk " + word + ": bad configuration: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
    Database db = null;
    SqliteSubjectStore subjects = null;
    try {
      StoreConfig store = StoreConfig.from(config.raw().getConfig("edgewhisk.store"));
      db = Database.open(vertx, config.stateDir(), store);
      PluginMigrations.apply(db, found.plugin().name(), found.plugin().migrations()).await(60, TimeUnit.SECONDS);
      subjects = SqliteSubjectStore.open(db, config.namespaceDefaults(), store.subjectRefreshInterval())
          .await(60, TimeUnit.SECONDS);
      Path dataDir = PluginLoader.dataDir(config.stateDir(), found.plugin().name());
      return found.command().run(List.copyOf(rest), new Context(section, dataDir, new PluginTables(db),
          new SqliteIdentityService(db, subjects), out, err));
    } catch (Exception e) {
      err.println("edgewhisk " + word + ": " + e.getMessage());
      return 1;
    } finally {
      if (subjects != null) {
        subjects.close();
      }
      if (db != null) {
        db.close();
      }
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // the database is closed: nothing is left to lose
      }
    }
  }

  private record Context(Config config, Path dataDir, PluginDatabase database, IdentityService identities,
      PrintStream out, PrintStream err) implements AdminContext {}
}
