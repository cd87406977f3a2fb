package io.edgewhisk.invoker;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A container engine whose containers are in-process HTTP servers speaking the action protocol, recording
 * every call. The action's code says how it behaves: {@code echo} answers its arguments, {@code sleep}
 * never answers, {@code die} dies of its memory limit, {@code initfail} fails /init, {@code quiet} prints no
 * sentinels, {@code deverr} answers 502 (a developer error). A request without the container's secret gets 403.
 */
final class RecordingContainerEngine implements ContainerEngine {
  final List<String> calls = new CopyOnWriteArrayList<>();
  private final Vertx vertx;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<String, Fake> containers = new ConcurrentHashMap<>();
  /** When set, started containers never answer: their endpoint is a port nothing listens on. */
  volatile boolean deaf;
  /**
   * When set, a removal ends only once this does (the container exists until then), and a second removal of
   * a container being removed fails at once: only the first one's end says when the container is gone.
   */
  volatile Future<Void> holdRemovals;
  private final Map<String, Future<Void>> beingRemoved = new ConcurrentHashMap<>();

  private static final class Fake {
    final ContainerSpec spec;
    HttpServer server;
    LogListener logs;
    String code;
    boolean oomKilled;
    int runs;

    Fake(ContainerSpec spec) {
      this.spec = spec;
    }
  }

  RecordingContainerEngine(Vertx vertx) {
    this.vertx = vertx;
  }

  /** A container some earlier run left, with these labels. */
  String leftover(Map<String, String> labels) {
    String id = "c" + ids.incrementAndGet();
    containers.put(id, new Fake(new ContainerSpec("img", id, labels, Map.of(), 256, 2, 100, 100, 100, true,
        ContainerSandbox.DEFAULT, "secret")));
    return id;
  }

  List<String> callsOf(String verb) {
    return calls.stream().filter(c -> c.startsWith(verb + " ")).toList();
  }

  boolean exists(String id) {
    return containers.containsKey(id);
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  @Override
  public Future<String> create(ContainerSpec spec) {
    String id = "c" + ids.incrementAndGet();
    containers.put(id, new Fake(spec));
    calls.add("create " + id + " " + spec.image() + " " + spec.memoryMb());
    return Future.succeededFuture(id);
  }

  @Override
  public Future<Endpoint> start(String id) {
    calls.add("start " + id);
    Fake f = containers.get(id);
    if (deaf) {
      return vertx.createHttpServer().requestHandler(req -> { }).listen(0, "127.0.0.1")
          .compose(s -> s.close().map(v -> new Endpoint("127.0.0.1", s.actualPort())));
    }
    f.server = vertx.createHttpServer().requestHandler(req -> handle(f, req));
    return f.server.listen(0, "127.0.0.1").map(s -> new Endpoint("127.0.0.1", s.actualPort()));
  }

  private void handle(Fake f, HttpServerRequest req) {
    if (!"POST".equals(req.method().name())) {
      req.response().setStatusCode(404).end();
      return;
    }
    req.body().onSuccess(body -> {
      // as EdgeWhisk's proxies do: only the holder of the container's secret is served
      if (!f.spec.proxySecret().equals(req.getHeader(PROXY_SECRET_HEADER))) {
        req.response().setStatusCode(403).end(new JsonObject().put("error", "no secret").encode());
        return;
      }
      JsonObject msg = body.toJsonObject();
      if (req.path().equals("/init")) {
        f.code = msg.getJsonObject("value").getString("code");
        if ("initfail".equals(f.code)) {
          sentinels(f);
          req.response().setStatusCode(502).end(new JsonObject().put("error", "bad init").encode());
        } else {
          req.response().end("{\"OK\":true}");
        }
        return;
      }
      f.runs++;
      switch (f.code) {
        case "sleep" -> { }
        case "deverr" -> {
          f.logs.onLine(LogStream.STDOUT, null, "failing " + f.runs);
          sentinels(f);
          req.response().setStatusCode(502).end(new JsonObject().put("error", "thrown").encode());
        }
        case "die" -> {
          f.oomKilled = true;
          req.connection().close();
          f.server.close();
          f.logs.onEnd(null);
        }
        default -> {
          f.logs.onLine(LogStream.STDOUT, null, "run " + f.runs);
          f.logs.onLine(LogStream.STDERR, null, "err " + f.runs);
          if (!"quiet".equals(f.code)) {
            sentinels(f);
          }
          req.response().end(new JsonObject().put("args", msg.getJsonObject("value")).put("container", f.spec.name())
              .put("runs", f.runs).encode());
        }
      }
    });
  }

  private static void sentinels(Fake f) {
    f.logs.onLine(LogStream.STDOUT, null, ActivationLogBuffer.SENTINEL);
    f.logs.onLine(LogStream.STDERR, null, ActivationLogBuffer.SENTINEL);
  }

  @Override
  public Future<Void> pause(String id) {
    calls.add("pause " + id);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> unpause(String id) {
    calls.add("unpause " + id);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> remove(String id) {
    calls.add("remove " + id);
    Future<Void> hold = holdRemovals;
    if (hold == null) {
      return removeNow(id);
    }
    if (beingRemoved.containsKey(id)) {
      return Future.failedFuture("removal of container " + id + " is already in progress");
    }
    Future<Void> removal = hold.compose(v -> removeNow(id));
    beingRemoved.put(id, removal);
    return removal;
  }

  private Future<Void> removeNow(String id) {
    Fake f = containers.remove(id);
    return f == null || f.server == null ? Future.succeededFuture() : f.server.close();
  }

  @Override
  public Future<Void> removeNetworks(Map<String, String> labels) {
    calls.add("removeNetworks " + new java.util.TreeMap<>(labels));
    return Future.succeededFuture();
  }

  @Override
  public Future<List<String>> list(Map<String, String> labels) {
    List<String> out = new ArrayList<>();
    containers.forEach((id, f) -> {
      if (f.spec.labels().entrySet().containsAll(labels.entrySet())) {
        out.add(id);
      }
    });
    return Future.succeededFuture(out);
  }

  @Override
  public Future<ContainerExit> inspect(String id) {
    Fake f = containers.get(id);
    return Future.succeededFuture(f == null ? new ContainerExit(false, false, -1)
        : new ContainerExit(false, f.oomKilled, f.oomKilled ? 137 : 0));
  }

  @Override
  public Future<LogFollow> followLogs(String id, LogListener listener) {
    containers.get(id).logs = listener;
    return Future.succeededFuture(() -> { });
  }

  @Override
  public Future<Void> close() {
    calls.add("close engine");
    return Future.succeededFuture();
  }
}
