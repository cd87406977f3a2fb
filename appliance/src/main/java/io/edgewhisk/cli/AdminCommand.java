package io.edgewhisk.cli;

import com.typesafe.config.ConfigException;
import io.edgewhisk.config.ApplianceConfig;
import io.edgewhisk.config.ConfigLoader;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.NamespaceLimits;
import io.edgewhisk.model.WhiskException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The admin commands {@code edgewhisk user …} and {@code edgewhisk limits …}: namespaces, their keys and
 * their limits, worked on directly in the state directory's database, also while the server runs (which
 * sees the change within its {@code store.subjects.refresh-interval}). Exit status 0 on success, 1 on an
 * error, 2 on a command line that does not parse.
 */
public final class AdminCommand {
  static final String USAGE = """
      usage: edgewhisk [--state-dir DIR] [--config FILE] COMMAND
        user create NS [--subject SUBJECT]   create namespace NS with a random key; prints uuid:key
        user list                            namespaces with their subject and uuid (never keys)
        user delete NS                       remove namespace NS and its key (not its entities)
        user key NS [--rotate]               print NS's uuid:key; with --rotate, a new key first
        limits get NS                        NS's own limits as JSON (unset ones use the defaults)
        limits set NS [--clear] [--invocations-per-minute N] [--concurrent-invocations N]
                      [--fires-per-minute N] [--allowed-kinds k1,k2] [--store-activations true|false]
                                             change NS's limits; --clear first resets them to the defaults
      """;

  private static final Set<String> FLAGS = Set.of("rotate", "clear");
  private static final Set<String> LIMIT_OPTIONS = Set.of("clear", "invocations-per-minute",
      "concurrent-invocations", "fires-per-minute", "allowed-kinds", "store-activations");

  /** Runs the command line {@code args} (without the leading {@code edgewhisk}); answers the exit status. */
  public int run(String[] args, PrintStream out, PrintStream err) {
    AdminArguments a;
    try {
      a = AdminArguments.parse(args, FLAGS);
      checkShape(a);
    } catch (UsageException e) {
      err.println("edgewhisk: " + e.getMessage());
      err.print(USAGE);
      return 2;
    }
    try {
      ApplianceConfig config = ConfigLoader.applianceConfig(a.config(), a.stateDir());
      if (!Files.isDirectory(config.stateDir())) {
        err.println("edgewhisk: the state directory " + config.stateDir() + " does not exist");
        return 1;
      }
      try (AdminSession session = AdminSession.open(config)) {
        execute(a, session, out);
      }
      return 0;
    } catch (UsageException e) {
      err.println("edgewhisk: " + e.getMessage());
      err.print(USAGE);
      return 2;
    } catch (WhiskException e) {
      err.println("edgewhisk: " + describe(e, a));
      return 1;
    } catch (ConfigException | IllegalStateException e) {
      err.println("edgewhisk: " + e.getMessage());
      return 1;
    }
  }

  /** Checks the words and options before anything is opened. */
  private static void checkShape(AdminArguments a) {
    List<String> w = a.words();
    String command = w.isEmpty() ? "" : w.get(0) + (w.size() > 1 ? " " + w.get(1) : "");
    switch (command) {
      case "user create" -> shape(a, 3, Set.of("subject"));
      case "user list" -> shape(a, 2, Set.of());
      case "user delete" -> shape(a, 3, Set.of());
      case "user key" -> shape(a, 3, Set.of("rotate"));
      case "limits get" -> shape(a, 3, Set.of());
      case "limits set" -> {
        shape(a, 3, LIMIT_OPTIONS);
        if (a.options().isEmpty()) {
          throw new UsageException("limits set needs at least one limit or --clear");
        }
        parseLimits(a, NamespaceLimits.NONE);
      }
      default -> throw new UsageException(w.isEmpty() ? "no command given" : "unknown command '" + command + "'");
    }
  }

  private static void shape(AdminArguments a, int words, Set<String> options) {
    a.requireWords(words);
    a.allowOnly(options);
  }

  private static void execute(AdminArguments a, AdminSession s, PrintStream out) {
    String command = a.word(0) + " " + a.word(1);
    switch (command) {
      case "user create" -> {
        String subject = a.has("subject") ? a.option("subject") : a.word(2);
        out.println(AdminSession.await(s.subjects().create(subject, a.word(2))).authKey());
      }
      case "user list" -> {
        out.printf("%-32s %-32s %s%n", "namespace", "subject", "uuid");
        for (Identity i : AdminSession.await(s.subjects().list())) {
          out.printf("%-32s %-32s %s%n", i.namespace(), i.subject(), i.uuid());
        }
      }
      case "user delete" -> {
        AdminSession.await(s.subjects().delete(a.word(2)));
        out.println("deleted namespace " + a.word(2));
      }
      case "user key" -> {
        Identity i = a.has("rotate")
            ? AdminSession.await(s.subjects().rotateKey(a.word(2)))
            : s.subjects().identityOf(a.word(2));
        if (i == null) {
          throw WhiskException.notFound(a.word(2));
        }
        out.println(i.authKey());
      }
      case "limits get" -> out.println(AdminSession.await(s.subjects().limits(a.word(2))).toJson().encodePrettily());
      case "limits set" -> {
        NamespaceLimits current = a.has("clear") ? NamespaceLimits.NONE : AdminSession.await(s.subjects().limits(a.word(2)));
        NamespaceLimits next = parseLimits(a, current);
        AdminSession.await(s.subjects().setLimits(a.word(2), next));
        out.println(next.toJson().encodePrettily());
      }
      default -> throw new UsageException("unknown command '" + command + "'");
    }
  }

  /** {@code base} with the limits the options give. */
  private static NamespaceLimits parseLimits(AdminArguments a, NamespaceLimits base) {
    Integer perMinute = a.count("invocations-per-minute");
    Integer concurrent = a.count("concurrent-invocations");
    Integer fires = a.count("fires-per-minute");
    Boolean store = a.bool("store-activations");
    List<String> kinds = null;
    if (a.has("allowed-kinds")) {
      kinds = Arrays.stream(a.option("allowed-kinds").split(",")).map(String::strip).filter(k -> !k.isEmpty()).toList();
      if (kinds.isEmpty()) {
        throw new UsageException("--allowed-kinds needs at least one kind, e.g. nodejs:20,python:3");
      }
    }
    return new NamespaceLimits(
        perMinute != null ? perMinute : base.invocationsPerMinute(),
        concurrent != null ? concurrent : base.concurrentInvocations(),
        fires != null ? fires : base.firesPerMinute(),
        kinds != null ? kinds : base.allowedKinds(),
        store != null ? store : base.storeActivations());
  }

  private static String describe(WhiskException e, AdminArguments a) {
    String ns = a.words().size() > 2 ? a.word(2) : "";
    return switch (e.status()) {
      case 404 -> "namespace '" + ns + "' does not exist";
      case 409 -> "namespace '" + ns + "' already exists";
      default -> e.getMessage();
    };
  }
}
