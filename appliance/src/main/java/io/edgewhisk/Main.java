package io.edgewhisk;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.edgewhisk.cli.AdminCommand;
import io.edgewhisk.cli.StatusCommand;
import io.edgewhisk.config.ApplianceConfig;
import io.edgewhisk.config.ConfigLoader;
import io.edgewhisk.config.ConsoleLogging;
import io.edgewhisk.config.LoggingFormat;
import io.edgewhisk.plugin.PluginAdmin;
import io.edgewhisk.spi.TlsMaterial;
import io.edgewhisk.store.StateDirectoryLock;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code edgewhisk} command: {@code serve}, and the admin commands on the same state directory. */
public final class Main {
  // Not a static field: Main's class initialization would start logging on the main thread before serve()
  // can start it beside reading the configuration (StartupOverlap).
  private static Logger log() {
    return LoggerFactory.getLogger(Main.class);
  }

  private static final String USAGE = """
      usage: edgewhisk serve [--config FILE] [--state-dir DIR] [--host ADDR] [--port N] [--dev]
             edgewhisk status [--config FILE] [--state-dir DIR] [--port N]   (exit 0 ok, 1 degraded, 2 down)
             edgewhisk user create|list|delete|key …   (edgewhisk user --help)
             edgewhisk limits get|set …                (edgewhisk limits --help)
      """;

  private Main() {}

  /** The core's usage, and a line for each command a plugin on the class path contributes. */
  private static String usage() {
    StringBuilder b = new StringBuilder(USAGE);
    new PluginAdmin(Main.class.getClassLoader()).usages().forEach(u -> b.append("       ").append(u).append('\n'));
    return b.toString();
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help") || args[0].equals("-h")) {
      (args.length == 0 ? err : out).print(usage());
      return args.length == 0 ? 2 : 0;
    }
    return switch (args[0]) {
      case "serve" -> serve(List.of(args).subList(1, args.length), out, err);
      case "status" -> status(List.of(args).subList(1, args.length), out, err);
      case "user", "limits" -> {
        ConsoleLogging.quietUnlessAsked();
        yield new AdminCommand().run(args, out, err);
      }
      default -> {
        PluginAdmin plugins = new PluginAdmin(Main.class.getClassLoader());
        var found = plugins.find(args[0]);
        if (found.isPresent()) {
          ConsoleLogging.quietUnlessAsked();
          List<String> rest = List.of(args).subList(1, args.length);
          if (rest.contains("--help")) {
            out.println("usage: " + found.get().command().usage());
            yield 0;
          }
          yield plugins.run(found.get(), rest, out, err);
        }
        err.print("edgewhisk: unknown command '" + args[0] + "'\n" + usage());
        yield 2;
      }
    };
  }

  private static int serve(List<String> args, PrintStream out, PrintStream err) {
    ApplianceConfig config;
    StartupSettings settings;
    StartupOverlap overlap = StartupOverlap.startLogging();
    try {
      config = serveConfig(args);
      overlap.awaitLogging();
      ConsoleLogging.use(LoggingFormat.from(config.raw()));
      overlap.startVertx(vertxOptions(config));
      settings = StartupSettings.validate(config);
      Files.createDirectories(config.stateDir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IllegalArgumentException e) {
      overlap.abandon();
      err.println("edgewhisk serve: " + e.getMessage());
      err.print(USAGE);
      return 2;
    } catch (ConfigException e) {
      overlap.abandon();
      err.println("edgewhisk serve: bad configuration: " + e.getMessage());
      return 2;
    } catch (IllegalStateException | java.io.UncheckedIOException e) {
      // a plugin's name, or the runtimes manifest
      overlap.abandon();
      err.println("edgewhisk serve: bad configuration: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      overlap.abandon();
      err.println("edgewhisk serve: cannot create the state directory: " + e.getMessage());
      return 1;
    }
    Vertx vertx = overlap.vertx();
    Appliance appliance;
    try {
      appliance = Appliance.start(vertx, settings).await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof StateDirectoryLock.InUseException || e.getCause() instanceof StateDirectoryLock.InUseException) {
        err.println("edgewhisk serve: " + (e.getCause() instanceof StateDirectoryLock.InUseException c ? c : e).getMessage());
        vertx.close();
        return 1;
      }
      err.println("edgewhisk serve: could not start: " + e.getMessage());
      log().debug("start-up failure", e);
      vertx.close();
      return 1;
    }
    banner(out, config, appliance);
    appliance.invokerStarted().onComplete(ar -> returnStartUpMemory(vertx));
    return awaitTermination(vertx, appliance);
  }

  /** Prints the running server's health; 0 ok, 1 degraded, 2 down or not reachable (and 2 for bad usage). */
  private static int status(List<String> args, PrintStream out, PrintStream err) {
    ConsoleLogging.quietUnlessAsked();
    ApplianceConfig config;
    try {
      config = serveConfig(args);
    } catch (IllegalArgumentException e) {
      err.println("edgewhisk status: " + e.getMessage());
      err.print(USAGE);
      return 2;
    } catch (ConfigException e) {
      err.println("edgewhisk status: bad configuration: " + e.getMessage());
      return 2;
    }
    return new StatusCommand().run(config, out, err);
  }

  private static VertxOptions vertxOptions(ApplianceConfig config) {
    return new VertxOptions().setEventLoopPoolSize(config.api().eventLoopsHere()).setWorkerPoolSize(8).setInternalBlockingPoolSize(4)
        .setPreferNativeTransport(false);
  }

  /**
   * Start-up (the invoker's included, which comes after the API is ready) leaves the heap grown with garbage
   * that an idle gateway would keep resident; one full collection, off the event loops, lets the serial
   * collector give it back to the system.
   */
  private static void returnStartUpMemory(Vertx vertx) {
    vertx.setTimer(2000, t -> vertx.executeBlocking(() -> {
      System.gc();
      return null;
    }, false));
  }

  /** Waits for SIGTERM or SIGINT, then drains and closes; exits 0 when that went well. */
  private static int awaitTermination(Vertx vertx, Appliance appliance) {
    CountDownLatch signalled = new CountDownLatch(1);
    for (String name : new String[] {"TERM", "INT"}) {
      sun.misc.Signal.handle(new sun.misc.Signal(name), s -> signalled.countDown());
    }
    try {
      signalled.await();
      log().info("shutting down");
      appliance.stop();
      vertx.close().await(10, TimeUnit.SECONDS);
      cleanStop();
      return 0;
    } catch (Exception e) {
      log().error("shutdown failed", e);
      return 1;
    }
  }

  /** A clean stop is not a crash: the launcher's restart back-off starts from zero again. */
  private static void cleanStop() {
    String marker = System.getProperty("edgewhisk.backoff-marker");
    if (marker != null) {
      try {
        Files.deleteIfExists(Path.of(marker));
      } catch (IOException e) {
        log().debug("could not delete the restart back-off marker {}: {}", marker, e.toString());
      }
    }
  }

  static ApplianceConfig serveConfig(List<String> args) {
    Path configFile = null;
    Path stateDir = null;
    Map<String, Object> overrides = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--config" -> configFile = Path.of(value(args, ++i, a));
        case "--state-dir" -> stateDir = Path.of(value(args, ++i, a));
        case "--port" -> {
          String v = value(args, ++i, a);
          try {
            overrides.put("edgewhisk.api.port", Integer.parseInt(v));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port needs a number, not '" + v + "'");
          }
        }
        case "--host" -> overrides.put("edgewhisk.api.host", value(args, ++i, a));
        case "--dev" -> overrides.put("edgewhisk.dev", true);
        default -> throw new IllegalArgumentException("unknown option '" + a + "'");
      }
    }
    Config raw = ConfigFactory.parseMap(overrides, "command line").withFallback(ConfigLoader.load(configFile, stateDir));
    return ApplianceConfig.from(raw);
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args.get(i);
  }

  private static void banner(PrintStream out, ApplianceConfig config, Appliance appliance) {
    TlsMaterial tls = appliance.tls();
    String host = config.api().listenHost(config.dev());
    String plain = appliance.port() < 0 ? null : "http://127.0.0.1:" + appliance.port();
    String secure = tls == null ? null : "https://127.0.0.1:" + appliance.httpsPort();
    String url = !config.api().publicUrl().isBlank() ? config.api().publicUrl() : secure != null ? secure : plain;
    Path key = config.stateDir().resolve("guest.key").toAbsolutePath();
    out.println("EdgeWhisk is ready.");
    out.println("  API:        " + url);
    if (plain != null) {
      out.println("  HTTP:       listening on " + host + ":" + appliance.port());
    }
    if (tls != null) {
      out.println("  HTTPS:      listening on " + host + ":" + appliance.httpsPort() + ", certificate " + tls.certificateFile()
          + (tls.selfSigned() ? " (self-signed)" : ""));
      out.println("  SHA-256:    " + tls.sha256Fingerprint());
    }
    if (config.dev() && config.api().host().isBlank()) {
      out.println("  dev mode:   listening on 127.0.0.1 only (OpenWhisk's public keys must not be reachable from the"
          + " network); give --host ADDR to listen elsewhere");
    }
    out.println("  namespace:  guest");
    out.println("  key:        " + key + (config.dev() ? "   (dev mode: OpenWhisk's public guest key)" : ""));
    boolean insecure = tls != null && tls.selfSigned() && url.startsWith("https:");
    out.println("  use it:     wsk property set --apihost " + url + " --auth \"$(cat " + key + ")\""
        + (insecure ? "   (then wsk -i, or trust " + tls.certificateFile() + ")" : ""));
    out.flush();
  }

}
