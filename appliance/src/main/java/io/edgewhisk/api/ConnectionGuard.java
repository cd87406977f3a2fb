package io.edgewhisk.api;

import io.edgewhisk.config.ApiConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Puts each new API connection under watch: counts it against the connection cap (one over it is
 * answered 503 and closed at once), gives it a {@link ConnectionWatch} for the idle and request
 * timeouts, and the {@link StrictRequestDecoder}. The one class that reaches below Vert.x's API into
 * the Netty pipeline of a connection (Vert.x has no hook for these).
 */
final class ConnectionGuard {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
  private final AtomicInteger open;
  private final ApiConfig api;
  private final HttpServerOptions options;

  ConnectionGuard(AtomicInteger open, ApiConfig api, HttpServerOptions options) {
    this.open = Objects.requireNonNull(open, "open");
    this.api = Objects.requireNonNull(api, "api");
    this.options = Objects.requireNonNull(options, "options");
  }

  void accept(HttpConnection connection) {
    int count = open.incrementAndGet();
    connection.closeHandler(v -> open.decrementAndGet());
    // a reset or an aborted upload is the client's doing, not the server's error
    connection.exceptionHandler(t -> LOG.debug("connection {} failed: {}", connection.remoteAddress(), t.toString()));
    Channel channel = ((ConnectionBase) connection).channel();
    ChannelPipeline pipeline = channel.pipeline();
    if (pipeline.get(StrictRequestDecoder.NAME) instanceof VertxHttpRequestDecoder) {
      pipeline.replace(StrictRequestDecoder.NAME, StrictRequestDecoder.NAME, new StrictRequestDecoder(options));
    }
    ConnectionWatch watch = new ConnectionWatch(api.idleTimeout(), api.requestTimeout());
    pipeline.addFirst(ConnectionWatch.NAME, watch);
    if (count > api.maxConnections()) {
      watch.refuse(503, "Service Unavailable", new JsonObject()
          .put("error", "Too many connections: the server holds " + api.maxConnections() + ", the most it allows; retry later.")
          .put("code", TransactionIds.next()));
    }
  }

  /** The watch of a request's connection (null on a connection this guard did not accept). */
  static ConnectionWatch watch(HttpServerRequest request) {
    return request.connection() instanceof ConnectionBase c ? c.channel().pipeline().get(ConnectionWatch.class) : null;
  }
}
