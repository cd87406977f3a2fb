package io.edgewhisk.invoker;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.edgewhisk.config.ApplianceConfig;
import io.edgewhisk.config.ConfigValues;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The invoker's settings ({@code edgewhisk.invoker}), validated once. reference.conf documents each key.
 * {@code instanceId} tells this appliance's containers from another's on the same host. {@code logPipes} is where
 * the containers' log pipes are made, or null when they are off ({@code log-pipes = false}).
 */
public record InvokerConfig(
    Path podmanSocket,
    boolean startPodmanService,
    String dockerApiVersion,
    String instanceId,
    int userMemoryMb,
    Duration pauseGrace,
    Duration idleTimeout,
    boolean network,
    long pidsLimit,
    int nofile,
    int nproc,
    int cpuTotalShares,
    String runtimesManifest,
    String apiHost,
    long maxResultBytes,
    boolean prewarm,
    Duration logSentinelWait,
    Duration logGrace,
    int engineThreads,
    long logMemoryBytes,
    ContainerSandbox sandbox,
    Path logPipes) {

  public InvokerConfig {
    Objects.requireNonNull(podmanSocket, "podmanSocket");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(pauseGrace, "pauseGrace");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(runtimesManifest, "runtimesManifest");
    Objects.requireNonNull(apiHost, "apiHost");
    Objects.requireNonNull(sandbox, "sandbox");
    if (!instanceId.matches("[a-zA-Z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException("instance-id must be 1 to 64 letters, digits, '_', '.' or '-'");
    }
  }

  /** Reads {@code edgewhisk.invoker} of the appliance's config. */
  public static InvokerConfig from(ApplianceConfig appliance) {
    Config c = appliance.raw().getConfig("edgewhisk.invoker");
    String apiHost = c.getString("api-host");
    if (apiHost.isEmpty()) {
      apiHost = "http://host.containers.internal:" + appliance.api().port();
    }
    return from(c, appliance.stateDir(), apiHost);
  }

  /** Reads an {@code invoker} section; an empty {@code instance-id} is derived from {@code stateDir}. */
  public static InvokerConfig from(Config c, Path stateDir, String apiHost) {
    String instance = c.getString("instance-id");
    if (instance.isEmpty()) {
      instance = instanceIdOf(stateDir);
    } else if (!instance.matches("[a-zA-Z0-9_.-]{1,64}")) {
      throw new ConfigException.BadValue(c.origin(), "instance-id", "must be 1 to 64 letters, digits, '_', '.' or '-'");
    }
    return new InvokerConfig(
        Path.of(c.getString("podman-socket")),
        c.getBoolean("start-podman-service"),
        c.getString("docker-api-version"),
        instance,
        ConfigValues.intIn(c, "user-memory", 128, Integer.MAX_VALUE),
        ConfigValues.duration(c, "pause-grace"),
        ConfigValues.duration(c, "idle-timeout"),
        c.getBoolean("network"),
        ConfigValues.intIn(c, "pids-limit", 16, Integer.MAX_VALUE),
        ConfigValues.intIn(c, "nofile", 64, 1 << 20),
        ConfigValues.intIn(c, "nproc", 16, 1 << 22),
        ConfigValues.intIn(c, "cpu-total-shares", 2, 262144),
        c.getString("runtimes-manifest"),
        apiHost,
        ConfigValues.bytes(c, "max-result-bytes"),
        c.getBoolean("prewarm"),
        ConfigValues.duration(c, "log-sentinel-wait"),
        ConfigValues.duration(c, "log-grace"),
        ConfigValues.intIn(c, "engine-threads", 1, 64),
        ConfigValues.bytes(c, "log-memory-bytes"),
        ContainerSandbox.from(c.getConfig("sandbox")),
        c.getBoolean("log-pipes") ? logPipesOf(stateDir, instance) : null);
  }

  /** This instance's directory of log pipes: in the state directory (a pipe keeps nothing on the disk), one per instance. */
  private static Path logPipesOf(Path stateDir, String instance) {
    return stateDir.toAbsolutePath().normalize().resolve("log-pipes").resolve(instance);
  }

  /** A stable short id of a state directory, so that a restart finds what the previous run left. */
  public static String instanceIdOf(Path stateDir) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256")
          .digest(stateDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** CPU shares proportional to memory, as OpenWhisk gives them (never below Docker's minimum of 2). */
  public int cpuSharesFor(int memoryMb) {
    return Math.max(2, (int) ((long) cpuTotalShares * memoryMb / userMemoryMb));
  }

  public InvokerConfig withInstanceId(String id) {
    return new InvokerConfig(podmanSocket, startPodmanService, dockerApiVersion, id, userMemoryMb, pauseGrace,
        idleTimeout, network, pidsLimit, nofile, nproc, cpuTotalShares, runtimesManifest, apiHost, maxResultBytes, prewarm,
        logSentinelWait, logGrace, engineThreads, logMemoryBytes, sandbox,
        logPipes == null ? null : logPipes.resolveSibling(id));
  }
}
