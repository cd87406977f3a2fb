package io.edgewhisk.invoker;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the invoker needs from a container engine. {@link PodmanContainerEngine} is the real one; tests
 * use a recording fake. Futures complete on the caller's Vert.x context; blocking calls run elsewhere.
 */
public interface ContainerEngine {

  /** Answers when the engine is reachable. */
  Future<Void> ping();

  /** Creates a container (not started) and answers with its id. */
  Future<String> create(ContainerSpec spec);

  /**
   * Starts a created container and answers where its port 8080 is reached: 127.0.0.1 and the host port it
   * was published on, or (without a network of its own to publish from) its address on the internal network.
   */
  Future<Endpoint> start(String id);

  Future<Void> pause(String id);

  Future<Void> unpause(String id);

  /** Removes a container, killing it if it runs, and its network; a missing container is no failure. */
  Future<Void> remove(String id);

  /** Removes the networks that carry every one of these labels and that no container uses any longer. */
  Future<Void> removeNetworks(Map<String, String> labels);

  /** Ids of all containers (running or not) that carry every one of these labels. */
  Future<List<String>> list(Map<String, String> labels);

  /** Why a container stopped (or that it still runs). */
  Future<ContainerExit> inspect(String id);

  /**
   * Follows a container's stdout and stderr from now until it ends. The listener is called on an engine
   * thread, never on an event loop, soon after the container wrote; closing the handle stops following.
   * Answers once following, so that nothing the container writes afterwards is missed.
   */
  Future<LogFollow> followLogs(String id, LogListener listener);

  Future<Void> close();

  /**
   * How a container is to be made. It gets a network of its own, named and labelled like it, isolated from
   * every other such network; {@code network} false makes that network internal, without a route out
   * (Podman cannot publish ports from there, so the invoker reaches it at its address on that network).
   * {@code proxySecret} goes to the container as {@link #PROXY_SECRET_ENV}.
   */
  record ContainerSpec(
      String image,
      String name,
      Map<String, String> labels,
      Map<String, String> env,
      int memoryMb,
      int cpuShares,
      long pidsLimit,
      int nofile,
      int nproc,
      boolean network,
      ContainerSandbox sandbox,
      String proxySecret) {
    public ContainerSpec {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(sandbox, "sandbox");
      Objects.requireNonNull(proxySecret, "proxySecret");
      labels = Map.copyOf(labels);
      env = Map.copyOf(env);
    }
  }

  /**
   * The environment variable that hands a container its secret. EdgeWhisk's action proxies take it out of
   * their environment at start (it is not among the action's variables) and answer /init and /run only to requests that
   * carry it in {@link #PROXY_SECRET_HEADER}; other images ignore both.
   */
  String PROXY_SECRET_ENV = "EDGEWHISK_PROXY_SECRET";
  String PROXY_SECRET_HEADER = "X-EdgeWhisk-Proxy-Secret";

  /** Where the invoker reaches a container's action proxy. */
  record Endpoint(String host, int port) {
    public Endpoint {
      Objects.requireNonNull(host, "host");
    }
  }

  /** A container's state as the engine reports it. */
  record ContainerExit(boolean running, boolean oomKilled, int exitCode) {}

  enum LogStream { STDOUT, STDERR }

  /** One line (without its newline) with the engine's time stamp, if it gave one (else null). */
  interface LogListener {
    void onLine(LogStream stream, java.time.Instant time, String line);

    /** The stream ended: the container stopped or was removed. */
    void onEnd(Throwable failure);
  }

  interface LogFollow extends AutoCloseable {
    @Override
    void close();
  }
}
