package io.edgewhisk.spi;

import java.util.List;

/**
 * A subcommand {@code edgewhisk <word> …} contributed by a plugin (e.g. {@code edgewhisk mqtt user add …},
 * {@code edgewhisk sync status}). It runs in its own short-lived process on the state directory, like
 * {@code user} and {@code limits}, and may run while the server runs: write through
 * {@link AdminContext#database()}, whose writes wait for SQLite's lock as the server's do.
 */
public interface AdminCommand {

  /** The word after {@code edgewhisk}; must not be one of the core's ({@code serve}, {@code user}, {@code limits}). */
  String word();

  /** One or more lines, each starting {@code edgewhisk <word>}, printed for {@code --help} and on a usage error. */
  String usage();

  /**
   * Runs with the arguments after the word (the core has taken {@code --state-dir} and {@code --config} out);
   * answers the exit status: 0 done, 1 failed (say why on {@code err}), 2 usage error.
   */
  int run(List<String> args, AdminContext context);
}
