package io.edgewhisk.mqtt.server;

import io.edgewhisk.mqtt.broker.Broker;
import io.edgewhisk.mqtt.config.MqttConfig;
import io.edgewhisk.mqtt.security.Authenticator;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * An MQTT listener: Netty's MQTT codec in each connection's pipeline, the way vertx-mqtt is built, but with the
 * protocol in our hands; plain TCP on a bare Netty server ({@link ChannelListener}), TLS on Vert.x's
 * {@link NetServer} (its certificate handling), WebSocket on Vert.x's HTTP server. vertx-mqtt 5.0.x's endpoint
 * API was not enough: an oversize packet only closes the connection (no DISCONNECT 0x95), keep-alive is always
 * enforced at 1.5 times the client's value (no Server Keep Alive), outbound packets are not checked against the
 * client's Maximum Packet Size, and PUBREC/PUBREL/PUBCOMP reason codes are not written before 5.1.3. With the codec
 * alone we decide each of these, and write only what the broker means to.
 */
public final class MqttListener {
  private final Vertx vertx;
  private final Broker broker;
  private final Authenticator authenticator;
  private final Connections connections;
  private final MqttConfig config;
  private final LongSupplier clock;
  private ChannelListener plain;
  private NetServer tls;
  private HttpServer webSocketServer;

  MqttListener(Vertx vertx, Broker broker, Authenticator authenticator, Connections connections, MqttConfig config,
               LongSupplier clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.broker = Objects.requireNonNull(broker, "broker");
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.connections = Objects.requireNonNull(connections, "connections");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Starts listening for plain TCP; answers the bound port. Called on the broker's context, whose loop serves it. */
  Future<Integer> listen(int port) {
    plain = new ChannelListener(vertx);
    return plain.listen(config.host(), port, source -> accept(source.channelContext(), source));
  }

  /** Starts listening for TLS ({@code options} name the port and the certificate); answers the bound port. */
  Future<Integer> listenTls(NetServerOptions options) {
    tls = vertx.createNetServer(options.setHost(config.host()).setTcpNoDelay(true));
    tls.connectHandler(so -> {
      NetSocketInternal socket = (NetSocketInternal) so;
      accept(socket.channelHandlerContext(), new NetSocketPacketSource(socket));
    });
    return tls.listen().map(NetServer::actualPort);
  }

  private void accept(ChannelHandlerContext context, PacketSource source) {
    new MqttConnection(new NetTransport(context, source, decoderLimit(config.maxPacketSize())), broker,
        authenticator, connections, config, clock);
  }

  /** Starts the WebSocket listener: path {@code /mqtt}, subprotocol {@code mqtt}; answers the bound port. */
  Future<Integer> listenWebSocket(int port) {
    HttpServer http = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(port)
        .addWebSocketSubProtocol("mqtt").setMaxWebSocketMessageSize(config.maxPacketSize() + 8)
        .setMaxWebSocketFrameSize(Math.max(65536, Math.min(config.maxPacketSize() + 8, 1 << 20))));
    http.webSocketHandshakeHandler(h -> {
      if (h.path().equals("/mqtt")) {
        h.accept().onSuccess(ws -> new MqttConnection(new WebSocketTransport(ws,
            decoderLimit(config.maxPacketSize())), broker, authenticator, connections, config, clock));
      } else {
        h.reject(404);
      }
    });
    http.requestHandler(req -> req.response().setStatusCode(404).end());
    webSocketServer = http;
    return http.listen().map(HttpServer::actualPort);
  }

  /** Netty's limit is on the remaining length; ours (MQTT's Maximum Packet Size) is on the whole packet. */
  static int decoderLimit(int maxPacketSize) {
    int lengthBytes = maxPacketSize < 128 ? 1 : maxPacketSize < 16_384 ? 2 : maxPacketSize < 2_097_152 ? 3 : 4;
    return maxPacketSize - 1 - lengthBytes;
  }

  Future<Void> close() {
    Future<Void> ws = webSocketServer == null ? Future.succeededFuture() : webSocketServer.close();
    return Future.all(plain == null ? Future.succeededFuture() : plain.close(),
        tls == null ? Future.succeededFuture() : tls.close(), ws).mapEmpty();
  }
}
