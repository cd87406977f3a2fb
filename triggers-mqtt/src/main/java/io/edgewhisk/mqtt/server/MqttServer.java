package io.edgewhisk.mqtt.server;

import io.edgewhisk.mqtt.broker.Broker;
import io.edgewhisk.mqtt.config.MqttConfig;
import io.edgewhisk.mqtt.security.Authenticator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The broker's network side: the plain listener, the optional TLS listener, the shared connection registry,
 * the one-second keep-alive sweep and the reload of device users (closing the connections of users deleted).
 * Everything runs on the event loop of the verticle that starts it.
 */
public final class MqttServer {
  private final Vertx vertx;
  private final MqttConfig config;
  private final Authenticator authenticator;
  private final Connections connections;
  private final MqttListener plain;
  private final MqttListener tls;
  private long sweepTimer = -1;
  private int port;
  private int tlsPort;
  private int webSocketPort;

  public MqttServer(Vertx vertx, Broker broker, Authenticator authenticator, MqttConfig config, LongSupplier clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.config = Objects.requireNonNull(config, "config");
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.connections = new Connections(config.maxConnections());
    this.plain = new MqttListener(vertx, broker, authenticator, connections, config, clock);
    this.tls = config.tlsEnabled() ? new MqttListener(vertx, broker, authenticator, connections, config, clock) : null;
  }

  public Future<Void> start() {
    Future<Void> users = authenticator.reload().mapEmpty();
    return users.compose(v -> plain.listen(config.port()))
        .compose(p -> {
          port = p;
          if (tls == null) {
            return Future.succeededFuture(-1);
          }
          return tls.listenTls(new NetServerOptions().setPort(config.tlsPort()).setSsl(true)
              .setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.tlsCertificate())
                  .setKeyPath(config.tlsKey())));
        })
        .compose(p -> {
          tlsPort = p;
          return config.websocketPort() < 0 ? Future.succeededFuture(-1) : plain.listenWebSocket(config.websocketPort());
        })
        .map(p -> {
          webSocketPort = p;
          sweepTimer = vertx.setPeriodic(1000, t -> tick());
          return null;
        });
  }

  private void tick() {
    connections.sweep(System.currentTimeMillis());
    authenticator.reload().onSuccess(gone -> {
      if (!gone.isEmpty()) {
        connections.closeUsers(gone);
      }
    });
  }

  public int port() {
    return port;
  }

  public int tlsPort() {
    return tlsPort;
  }

  public int webSocketPort() {
    return webSocketPort;
  }

  public int connectionCount() {
    return connections.size();
  }

  public Future<Void> stop() {
    vertx.cancelTimer(sweepTimer);
    connections.closeAll(ReasonCodes.SERVER_SHUTTING_DOWN);
    Future<Void> t = tls == null ? Future.succeededFuture() : tls.close();
    return Future.all(plain.close(), t).mapEmpty();
  }
}
