package io.edgewhisk.plugin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.edgewhisk.spi.Plugin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the plugins on the class path ({@link ServiceLoader}), so that the core never names them and a
 * gateway without MQTT or a cloud link runs without them; checks their names and configuration before
 * anything starts ({@link #select}); and, once the core's state is open, runs their migrations and deploys
 * each as a verticle ({@link PluginRuntime}).
 */
public final class PluginLoader {
  private static final Logger LOG = LoggerFactory.getLogger(PluginLoader.class);
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{0,30}");
  /** Words of the core that a plugin may not take as its name or its command. */
  public static final Set<String> RESERVED = Set.of("serve", "user", "limits", "help", "api", "store", "invoker", "log",
      "catalog", "plugins", "namespace-defaults", "action-limits", "state-dir", "dev");

  private final ClassLoader classLoader;

  public PluginLoader(ClassLoader classLoader) {
    this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
  }

  /** Every plugin on the class path, in the order the class loader lists them. */
  public List<Plugin> discover() {
    List<Plugin> found = new ArrayList<>();
    ServiceLoader.load(Plugin.class, classLoader).forEach(found::add);
    return found;
  }

  /**
   * The plugins to run, each with its validated section: those neither in {@code disabled} nor turned off
   * by their section. Fails with a {@link com.typesafe.config.ConfigException} naming the key, or an
   * {@link IllegalStateException} for a bad or duplicate plugin name. Reads no file, starts nothing.
   */
  public List<SelectedPlugin> select(Config root, List<String> disabled) {
    List<SelectedPlugin> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Plugin plugin : discover()) {
      String name = plugin.name();
      if (name == null || !NAME.matcher(name).matches() || RESERVED.contains(name)) {
        throw new IllegalStateException("plugin " + plugin.getClass().getName() + " has a bad name '" + name
            + "': use a lower-case word ([a-z][a-z0-9]*) the core does not use");
      }
      if (!names.add(name)) {
        throw new IllegalStateException("two plugins on the class path are named " + name);
      }
      Config section = section(root, name);
      if (disabled.contains(name) || !plugin.enabled(section)) {
        LOG.info("plugin {} found, not enabled", name);
        continue;
      }
      plugin.validate(section);
      out.add(new SelectedPlugin(plugin, section));
    }
    return List.copyOf(out);
  }

  /** The section {@code edgewhisk.<name>}, empty when absent. */
  public static Config section(Config root, String name) {
    String path = "edgewhisk." + name;
    return root.hasPath(path) ? root.getConfig(path) : ConfigFactory.empty("no " + path + " section");
  }

  /** {@code <state-dir>/plugins/<name>}, created with mode 0700. */
  public static Path dataDir(Path stateDir, String name) throws IOException {
    Path dir = stateDir.resolve("plugins").resolve(name);
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return dir;
  }

  /** A plugin chosen to run, with its validated configuration section. */
  public record SelectedPlugin(Plugin plugin, Config section) {
    public SelectedPlugin {
      Objects.requireNonNull(plugin, "plugin");
      Objects.requireNonNull(section, "section");
    }

    public String name() {
      return plugin.name();
    }
  }
}
