package io.edgewhisk.invoker;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigFactory;
import io.edgewhisk.model.Action;
import io.edgewhisk.model.ActionLimits;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.ActivationRequest;
import io.edgewhisk.model.Exec;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.NamespaceLimits;
import io.edgewhisk.model.SemVer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/** Shared helpers of the invoker's tests: strict Vert.x, requests, config. */
final class InvokerTesting {
  static final Identity GUEST = new Identity("guest", "guest", "23bc46b1-71f6-4ed5-8c54-816aa4f8c502", "secret",
      NamespaceLimits.NONE);

  private InvokerTesting() {}

  /**
   * Vert.x that warns (with a stack trace) when an event loop is held over 100 ms; {@link BlockedThreads}
   * catches the warnings.
   */
  static Vertx strictVertx() {
    return Vertx.vertx(new VertxOptions()
        .setMaxEventLoopExecuteTime(100)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(20)
        .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setWarningExceptionTime(100)
        .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS));
  }

  /** Collects Vert.x's blocked-thread warnings, so a test can fail on them. */
  static final class BlockedThreads implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    BlockedThreads() {
      appender.start();
      logger.addAppender(appender);
    }

    /**
     * Warnings about an event loop caught in a blocking call (I/O, sleeping, waiting on a lock, docker-java,
     * a process). Warnings that caught it computing are left out: on these shared two-core machines (load
     * often above 10) a thread is descheduled for longer than any sensible limit, which says nothing about
     * the code.
     */
    long eventLoopWarnings() {
      return appender.list.stream()
          .filter(e -> e.getFormattedMessage().contains("eventloop"))
          .filter(BlockedThreads::isBlockingCall)
          .peek(e -> System.err.println("BLOCKED: " + e.getFormattedMessage() + " "
              + java.util.Arrays.toString(e.getThrowableProxy().getStackTraceElementProxyArray())))
          .count();
    }

    private static final List<String> BLOCKING = List.of("com.github.dockerjava", "java.lang.Thread.sleep",
        "LockSupport.park", "java.lang.Object.wait", "java.io.FileInputStream", "java.io.FileOutputStream",
        "sun.nio.ch.FileDispatcherImpl", "java.lang.ProcessImpl", "java.lang.ProcessBuilder", "java.net.Socket.connect",
        "java.net.Socket$SocketInputStream", "sun.nio.ch.NioSocketImpl.read",
        "java.sql.", "java.nio.file.Files");

    /** A non-blocking socket channel's write or read (Netty's) also goes through {@code FileDispatcherImpl}. */
    private static final String SOCKET_CHANNEL = "sun.nio.ch.SocketChannelImpl";

    private static boolean isBlockingCall(ILoggingEvent e) {
      if (e.getThrowableProxy() == null) {
        return false;
      }
      List<String> frames = java.util.Arrays.stream(e.getThrowableProxy().getStackTraceElementProxyArray())
          .map(frame -> frame.getSTEAsString()).toList();
      if (frames.stream().anyMatch(f -> f.contains("<clinit>"))) {
        return false; // a class initializing on first use, once per JVM
      }
      boolean onSocketChannel = frames.stream().anyMatch(f -> f.contains(SOCKET_CHANNEL));
      return frames.stream().anyMatch(f -> BLOCKING.stream().anyMatch(b -> f.contains(b)
          && !(onSocketChannel && b.equals("sun.nio.ch.FileDispatcherImpl"))));
    }

    @Override
    public void close() {
      logger.detachAppender(appender);
    }
  }

  /** Set for a child JVM: the state directory of its parent's invokers. */
  static final String STATE_DIR_PROPERTY = "edgewhisk.test.state-dir";
  /** The state directory the tests' invokers are given: their log pipes are made in it, and removed again. */
  static final Path STATE_DIR = stateDir();

  private static Path stateDir() {
    String given = System.getProperty(STATE_DIR_PROPERTY);
    if (given != null) {
      return Path.of(given); // a child JVM of a test: its parent's, which the parent removes
    }
    try {
      Path dir = java.nio.file.Files.createTempDirectory("edgewhisk-invoker-test");
      // every invoker removes its log pipes when it closes, but a container still being made as its invoker
      // closes can leave the instance's empty folder behind (the next start would clear it): remove it all
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          deleteTree(dir);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
          System.err.println("could not remove " + dir + ": " + e);
        }
      }, "remove-invoker-test-state"));
      return dir;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Removes a folder and everything in it (what cannot be removed stays). */
  static void deleteTree(Path dir) throws java.io.IOException {
    try (var paths = java.nio.file.Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static InvokerConfig config(String instance, Map<String, Object> overrides) {
    var c = ConfigFactory.parseMap(overrides)
        .withFallback(ConfigFactory.parseResources("reference.conf").resolve().getConfig("edgewhisk.invoker"));
    return InvokerConfig.from(c, STATE_DIR, "http://host.containers.internal:3233")
        .withInstanceId(instance);
  }

  static Action action(String name, Exec.Code code, ActionLimits limits, KeyValues params, KeyValues annotations) {
    return new Action(FullyQualifiedName.of("guest", name), SemVer.INITIAL, false, code, params, annotations, limits, 0L);
  }

  static Action nodejs(String name, String code) {
    return action(name, new Exec.Code("nodejs:18", code, false, null, null), ActionLimits.DEFAULT, KeyValues.EMPTY,
        KeyValues.EMPTY);
  }

  static ActivationRequest request(Action action, JsonObject args) {
    return new ActivationRequest(ActivationId.random(), "tid-" + System.nanoTime(), GUEST, action, args, null,
        System.currentTimeMillis());
  }

  static <T> T await(Future<T> f, Duration d) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(d.toMillis(), TimeUnit.MILLISECONDS);
  }
}
