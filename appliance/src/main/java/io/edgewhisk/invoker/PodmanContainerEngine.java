package io.edgewhisk.invoker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import io.edgewhisk.model.WhiskException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The container engine on Podman's Docker-compatible REST socket: the only class that touches docker-java.
 * Every (blocking) docker-java call runs on a small worker pool of its own, never on an event loop, and
 * Podman's failures become {@link WhiskException}s here.
 */
public final class PodmanContainerEngine implements ContainerEngine {
  private static final ExposedPort ACTION_PORT = ExposedPort.tcp(8080);
  /** Podman's own API (for what the Docker-compatible one cannot say); Podman 4.x and 5.x serve this path. */
  private static final String LIBPOD_API = "v4.0.0";

  /** How long a stopped container's pipes may take to be read to their end. */
  private static final long PIPE_DRAIN_MS = 500;

  private final DockerClient client;
  private final DockerHttpClient http;
  private final WorkerExecutor worker;
  /** The network of each container made here, removed with it. */
  private final Map<String, String> networks = new java.util.concurrent.ConcurrentHashMap<>();
  /** Where each container's log pipes are made (null: none, every container's output comes through Podman). */
  private final Path logPipesRoot;
  /** The log pipes of each container made here, removed with it. */
  private final Map<String, LogPipes> pipes = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * An engine on Podman's socket. {@code logPipes}, when not null, is this engine's own directory for the
   * containers' log pipes ({@link LogPipes}): what an earlier run left there is removed now. Blocks.
   */
  public PodmanContainerEngine(Vertx vertx, Path socket, String apiVersion, int threads, Path logPipes) throws IOException {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(socket, "socket");
    this.logPipesRoot = logPipes;
    if (logPipes != null) {
      LogPipes.clear(logPipes);
    }
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost("unix://" + socket.toAbsolutePath())
        .withApiVersion(apiVersion)
        .build();
    this.http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .maxConnections(64)
        .connectionTimeout(Duration.ofSeconds(5))
        .sslConfig(PodmanContainerEngine::noTls)
        .build();
    this.client = DockerClientImpl.getInstance(config, this.http);
    this.worker = vertx.createSharedWorkerExecutor("edgewhisk-podman", threads);
  }

  /**
   * Podman is reached on a unix socket, never over TLS; without a TLS context of its own docker-java builds the
   * JDK's default one for its https scheme, reading the whole trust store (about 0.1 s of a gateway's CPU at
   * every start). This one is cheap and trusts no server at all.
   */
  private static SSLContext noTls() throws NoSuchAlgorithmException, KeyManagementException {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[0], null);
    return tls;
  }

  @Override
  public Future<Void> ping() {
    return blocking("reach Podman", () -> {
      client.pingCmd().exec();
      return null;
    });
  }

  @Override
  public Future<String> create(ContainerSpec spec) {
    return blocking("create a container of " + spec.image(), () -> {
      String network = spec.name();
      createNetwork(network, spec.labels(), !spec.network());
      LogPipes logPipes = null;
      try {
        logPipes = logPipesRoot == null ? null : LogPipes.make(logPipesRoot, spec.name());
        String id = createContainer(spec, network, logPipes);
        networks.put(id, network);
        if (logPipes != null) {
          pipes.put(id, logPipes);
        }
        return id;
      } catch (IOException | RuntimeException e) {
        if (logPipes != null) {
          logPipes.close();
        }
        removeNetwork(network);
        throw e;
      }
    });
  }

  private String createContainer(ContainerSpec spec, String network, LogPipes logPipes) {
    long bytes = spec.memoryMb() * 1024L * 1024L;
    ContainerSandbox sandbox = spec.sandbox();
    HostConfig host = HostConfig.newHostConfig()
        .withMemory(bytes)
        .withMemorySwap(bytes)
        .withCpuShares(spec.cpuShares())
        .withPidsLimit(spec.pidsLimit())
        .withUlimits(List.of(new Ulimit("nofile", (long) spec.nofile(), (long) spec.nofile()),
            new Ulimit("nproc", (long) spec.nproc(), (long) spec.nproc())))
        .withNetworkMode(network)
        // what an action may write: tmpfs (memory, so also within its memory limit), never the host's disk
        .withReadonlyRootfs(sandbox.readOnlyRoot())
        .withTmpFs(sandbox.tmpfsMounts())
        .withShmSize(sandbox.writableBytes())
        // no capability is needed to serve on 8080; without NET_RAW an action cannot forge packets either
        // (netavark sets route_localnet on its bridges, so forged packets to 127.0.0.1 would reach the host)
        .withCapDrop(Capability.ALL)
        .withCapAdd(sandbox.capabilities().stream().map(PodmanContainerEngine::capability).toArray(Capability[]::new))
        .withSecurityOpts(sandbox.noNewPrivileges() ? List.of("no-new-privileges") : List.of())
        .withLogConfig(logConfig(sandbox));
    if (logPipes != null) {
      // read-only: a pipe opens for writing there all the same, but nothing can be made on the host's disk
      host.withBinds(new Bind(logPipes.dir().toString(), new Volume(LogPipes.MOUNT), AccessMode.ro));
    }
    if (spec.network()) {
      host.withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ACTION_PORT));
    }
    List<String> env = new ArrayList<>();
    spec.env().forEach((k, v) -> env.add(k + "=" + v));
    env.add(PROXY_SECRET_ENV + "=" + spec.proxySecret());
    return client.createContainerCmd(spec.image())
        .withName(spec.name())
        .withLabels(spec.labels())
        .withEnv(env)
        .withExposedPorts(ACTION_PORT)
        .withHostConfig(host)
        .exec()
        .getId();
  }

  /**
   * No log file by default: activation logs come from the attached stream, and a file would have conmon
   * write every line a second time, on a gateway's SD card (measured: about 25 µs of conmon's CPU per activation).
   */
  private static LogConfig logConfig(ContainerSandbox sandbox) {
    return sandbox.logFileBytes() > 0
        ? new LogConfig(LogConfig.LoggingType.JSON_FILE, Map.of("max-size", String.valueOf(sandbox.logFileBytes())))
        : new LogConfig(LogConfig.LoggingType.NONE);
  }

  private static Capability capability(String name) {
    return Capability.valueOf(name.startsWith("CAP_") ? name.substring(4) : name);
  }

  /**
   * A bridge network for one container, isolated from every other isolated network (netavark's {@code isolate}
   * option: Podman 4.3 has it, though its Docker-compatible endpoint warns that it does not know it), so that
   * no action reaches another's container. Made through Podman's own endpoint: the compatible one turns on
   * Podman's DNS server for every network, which a lone container on a network with a route out does not need.
   */
  private void createNetwork(String name, Map<String, String> labels, boolean internal) throws IOException {
    String body = new io.vertx.core.json.JsonObject()
        .put("name", name)
        .put("driver", "bridge")
        .put("internal", internal)
        // Podman gives an internal network a gateway (the host's address on it, through which the invoker
        // reaches the container) only with its DNS server on; other networks need neither
        .put("dns_enabled", internal)
        .put("options", new io.vertx.core.json.JsonObject().put("isolate", "true"))
        .put("labels", new io.vertx.core.json.JsonObject(new java.util.HashMap<>(labels)))
        .encode();
    DockerHttpClient.Request request = DockerHttpClient.Request.builder()
        .method(DockerHttpClient.Request.Method.POST)
        .path("/" + LIBPOD_API + "/libpod/networks/create")
        .putHeader("Content-Type", "application/json")
        .body(new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)))
        .build();
    try (DockerHttpClient.Response response = http.execute(request)) {
      if (response.getStatusCode() / 100 != 2) {
        String text = new String(response.getBody().readNBytes(4096), StandardCharsets.UTF_8).strip();
        throw new IllegalStateException("the network " + name + " could not be made (" + response.getStatusCode() + "): " + text);
      }
    }
  }

  private void removeNetwork(String name) {
    try {
      client.removeNetworkCmd(name).exec();
    } catch (NotFoundException gone) {
      // already removed: what was asked for holds
    }
  }

  @Override
  public Future<Void> removeNetworks(Map<String, String> labels) {
    return blocking("remove networks", () -> {
      for (Network n : client.listNetworksCmd().exec()) {
        Map<String, String> has = n.getLabels() == null ? Map.of() : n.getLabels();
        if (has.entrySet().containsAll(labels.entrySet())) {
          try {
            removeNetwork(n.getName());
          } catch (RuntimeException inUse) {
            // a container of another run that is still being removed; the next start-up takes it
          }
        }
      }
      return null;
    });
  }

  @Override
  public Future<Endpoint> start(String id) {
    return blocking("start container " + id, () -> {
      client.startContainerCmd(id).exec();
      InspectContainerResponse inspect = client.inspectContainerCmd(id).exec();
      Ports.Binding[] bindings = inspect.getNetworkSettings().getPorts().getBindings().get(ACTION_PORT);
      if (bindings != null && bindings.length > 0 && bindings[0].getHostPortSpec() != null) {
        return new Endpoint("127.0.0.1", Integer.parseInt(bindings[0].getHostPortSpec()));
      }
      // an internal network: nothing is published, the container is reached at its address there
      var own = inspect.getNetworkSettings().getNetworks().get(networks.get(id));
      if (own != null && own.getIpAddress() != null && !own.getIpAddress().isEmpty()) {
        if (own.getGateway() == null || own.getGateway().isEmpty()) {
          // without a gateway the host has no address on the network: the container's address would be
          // sought through the host's default route, elsewhere
          throw new IllegalStateException("the internal network of container " + id + " has no gateway, so the host cannot reach it");
        }
        return new Endpoint(own.getIpAddress(), 8080);
      }
      throw new IllegalStateException("Podman published no port for 8080 of container " + id);
    });
  }

  @Override
  public Future<Void> pause(String id) {
    return blocking("pause container " + id, () -> {
      client.pauseContainerCmd(id).exec();
      return null;
    });
  }

  @Override
  public Future<Void> unpause(String id) {
    return blocking("unpause container " + id, () -> {
      client.unpauseContainerCmd(id).exec();
      return null;
    });
  }

  @Override
  public Future<Void> remove(String id) {
    return blocking("remove container " + id, () -> {
      try {
        client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
      } catch (NotFoundException | NotModifiedException gone) {
        // already removed: what was asked for holds
      }
      String network = networks.remove(id);
      if (network != null) {
        removeNetwork(network);
      }
      LogPipes logPipes = pipes.remove(id);
      if (logPipes != null) {
        logPipes.close();
      }
      return null;
    });
  }

  @Override
  public Future<List<String>> list(Map<String, String> labels) {
    return blocking("list containers", () -> client.listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(labels)
        .exec()
        .stream()
        .map(Container::getId)
        .toList());
  }

  @Override
  public Future<ContainerExit> inspect(String id) {
    return blocking("inspect container " + id, () -> {
      try {
        InspectContainerResponse.ContainerState s = client.inspectContainerCmd(id).exec().getState();
        Long exit = s.getExitCodeLong();
        return new ContainerExit(Boolean.TRUE.equals(s.getRunning()), Boolean.TRUE.equals(s.getOOMKilled()),
            exit == null ? 0 : exit.intValue());
      } catch (NotFoundException gone) {
        return new ContainerExit(false, false, -1);
      }
    });
  }

  @Override
  public Future<LogFollow> followLogs(String id, LogListener listener) {
    Promise<LogFollow> following = Promise.promise();
    Context caller = Vertx.currentContext();
    LogLines out = new LogLines(LogStream.STDOUT, listener);
    LogLines err = new LogLines(LogStream.STDERR, listener);
    LogPipes logPipes = pipes.get(id);
    // an image that knows the pipes writes there; what it (or an image that does not) writes to its own
    // stdout and stderr comes through Podman, so both are followed, and the container's end is Podman's to tell
    LogPipes.Follow piped;
    try {
      piped = logPipes == null ? null : logPipes.follow(listener, id.substring(0, Math.min(12, id.length())));
    } catch (IOException e) {
      return Future.failedFuture(WhiskException.unavailable("Could not follow the output of container " + id + ": "
          + e.getMessage()));
    }
    ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onStart(java.io.Closeable stream) {
        super.onStart(stream);
        onCaller(caller, () -> following.tryComplete(this::closeQuietly));
      }

      private void closeQuietly() {
        worker.executeBlocking(() -> {
          try {
            close();
          } catch (IOException ignored) {
            // the stream is going away either way
          }
          if (piped != null) {
            piped.stop();
          }
          return null;
        }, false);
      }

      /** The container stopped: what it wrote to its pipes before is read first. */
      private void ended() {
        out.flush();
        err.flush();
        if (piped != null) {
          piped.drain(PIPE_DRAIN_MS);
        }
      }

      @Override
      public void onNext(Frame frame) {
        (frame.getStreamType() == StreamType.STDERR ? err : out).accept(frame.getPayload());
      }

      @Override
      public void onError(Throwable t) {
        onCaller(caller, () -> following.tryFail(
            WhiskException.unavailable("Podman could not attach to container " + id + ": " + message(t))));
        ended();
        listener.onEnd(t);
      }

      @Override
      public void onComplete() {
        onCaller(caller, () -> following.tryFail(
            WhiskException.unavailable("Container " + id + " ended before it could be attached.")));
        ended();
        listener.onEnd(null);
      }
    };
    // Attach, not the logs endpoint: Podman serves a followed log by polling its log file (about every
    // 250 ms), while an attached stream comes straight from conmon within a millisecond, and the end of an
    // activation's logs is on the path of every invocation. Attaching happens on the worker pool: docker-java
    // starts a thread and connects there.
    worker.executeBlocking(() -> client.attachContainerCmd(id)
        .withStdOut(true)
        .withStdErr(true)
        .withFollowStream(true)
        .withLogs(false)
        .exec(callback), false)
        .onFailure(t -> {
          if (piped != null) {
            worker.executeBlocking(() -> {
              piped.stop();
              return null;
            }, false);
          }
          following.tryFail(WhiskException.unavailable("Podman could not attach to container " + id + ": " + message(t)));
        });
    return following.future();
  }

  /** docker-java calls back on its own threads: the caller's continuations belong on the caller's context. */
  private static void onCaller(Context caller, Runnable r) {
    if (caller == null) {
      r.run();
    } else {
      caller.runOnContext(v -> r.run());
    }
  }

  @Override
  public Future<Void> close() {
    // on the worker before it closes: a closed worker runs nothing more
    return this.<Void>blocking("close the Podman client", () -> {
      client.close();
      for (LogPipes logPipes : pipes.values()) {
        logPipes.close();
      }
      pipes.clear();
      if (logPipesRoot != null) {
        deleteIfEmpty(logPipesRoot);
        deleteIfEmpty(logPipesRoot.getParent());
      }
      return null;
    }).otherwiseEmpty().eventually(() -> worker.close());
  }

  private static void deleteIfEmpty(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException notEmpty) {
      // another instance's pipes, or a container's that could not be removed: the next start clears them
    }
  }

  private <T> Future<T> blocking(String what, Callable<T> call) {
    return worker.<T>executeBlocking(call, false)
        .recover(t -> Future.failedFuture(t instanceof WhiskException ? t
            : WhiskException.unavailable("Podman could not " + what + ": " + message(t))));
  }

  private static String message(Throwable t) {
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m.strip();
  }
}
