package io.edgewhisk.spi;

import com.typesafe.config.Config;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What an {@link AdminCommand} gets: the plugin's validated section, its data directory, its tables (the
 * plugin's migrations already applied; the futures may be awaited, since a command runs on no event loop)
 * and the output streams.
 */
public interface AdminContext {
  Config config();

  Path dataDir();

  PluginDatabase database();

  /** The core's subjects, for a command that checks a namespace exists (awaitable, as {@link #database()}). */
  IdentityService identities();

  PrintStream out();

  PrintStream err();
}
