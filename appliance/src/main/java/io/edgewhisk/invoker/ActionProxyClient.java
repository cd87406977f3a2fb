package io.edgewhisk.invoker;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Objects;

/**
 * Speaks the action container protocol ({@code /init}, {@code /run}) to containers on their published
 * 127.0.0.1 ports (or internal-network addresses), over kept-alive connections.
 */
final class ActionProxyClient {
  /**
   * An answer of the action proxy: its status, its body up to the reading limit, and the body's whole
   * {@code length} (larger than the body kept when the answer was cut).
   */
  record Response(int status, Buffer body, long length) {
    Response(int status, Buffer body) {
      this(status, body, body.length());
    }
  }

  private static final long READY_POLL_MS = 5;

  private final Vertx vertx;
  private final HttpClientAgent http;
  /** Set by {@link #close()}: a readiness probe still polling a starting container then stops. */
  private volatile boolean closed;

  ActionProxyClient(Vertx vertx, int maxConcurrency) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.http = vertx.createHttpClient(
        // idle connections close before Node.js's (and most servers') 5 s keep-alive timeout, so that a
        // request never races the server closing the connection under it
        new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(4).setTcpNoDelay(true).setConnectTimeout(2000),
        new PoolOptions().setHttp1MaxSize(Math.max(1, maxConcurrency)));
  }

  /**
   * Posts {@code body} to a container's proxy with its {@code secret} (which images other than EdgeWhisk's
   * ignore) and reads the answer, keeping at most {@code maxBytes} of it: the rest is counted as it
   * arrives and dropped, so that an action answering 100 MB never has them on the heap.
   */
  Future<Response> post(ContainerEngine.Endpoint at, String secret, String path, Buffer body, long maxBytes) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost(at.host())
        .setPort(at.port())
        .setURI(path)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(ContainerEngine.PROXY_SECRET_HEADER, secret);
    return http.request(options)
        .compose(req -> req.send(body))
        .compose(resp -> {
          Promise<Response> read = Promise.promise();
          Buffer kept = Buffer.buffer();
          long[] length = {0};
          resp.handler(chunk -> {
            length[0] += chunk.length();
            if (kept.length() < maxBytes) {
              kept.appendBuffer(chunk, 0, (int) Math.min(chunk.length(), maxBytes - kept.length()));
            }
          });
          resp.exceptionHandler(read::tryFail);
          resp.endHandler(v -> read.tryComplete(new Response(resp.statusCode(), kept, length[0])));
          return read.future();
        });
  }

  /**
   * Answers once the container's server answers HTTP at all (any status): a published port may accept
   * connections before the server inside listens. Fails at {@code deadline} (epoch ms).
   */
  Future<Void> awaitReady(ContainerEngine.Endpoint at, long deadline) {
    Promise<Void> ready = Promise.promise();
    probe(at, deadline, ready);
    return ready.future();
  }

  private void probe(ContainerEngine.Endpoint at, long deadline, Promise<Void> ready) {
    if (closed) {
      ready.tryFail("the invoker is stopping");
      return;
    }
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(at.host()).setPort(at.port()).setURI("/")
        .setIdleTimeout(1000);
    // through compose: a client closed meanwhile (on another thread) fails the request instead of throwing
    Future.<Void>succeededFuture().compose(v -> http.request(options))
        .compose(req -> req.send().compose(resp -> resp.body()))
        .onSuccess(b -> ready.tryComplete())
        .onFailure(t -> {
          if (closed || System.currentTimeMillis() >= deadline) {
            ready.tryFail(t);
          } else {
            vertx.setTimer(READY_POLL_MS, id -> probe(at, deadline, ready));
          }
        });
  }

  Future<Void> close() {
    closed = true;
    return http.close();
  }
}
