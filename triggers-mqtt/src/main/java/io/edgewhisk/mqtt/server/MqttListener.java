package io.edgewhisk.mqtt.server;

import io.edgewhisk.mqtt.broker.Broker;
import io.edgewhisk.mqtt.config.MqttConfig;
import io.edgewhisk.mqtt.security.Authenticator;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * An MQTT listener: Vert.x's {@link NetServer} with Netty's MQTT codec in the connection's pipeline, the way
 * vertx-mqtt is built, but with the protocol in our hands. vertx-mqtt 5.0.x's endpoint API was not enough:
 * an oversize packet only closes the connection (no DISCONNECT 0x95), keep-alive is always enforced at 1.5
 * times the client's value (no Server Keep Alive), outbound packets are not checked against the client's
 * Maximum Packet Size, and PUBREC/PUBREL/PUBCOMP reason codes are not written before 5.1.3. With the codec
 * alone we decide each of these, and write only what the broker means to.
 */
public final class MqttListener {
  private final Vertx vertx;
  private final Broker broker;
  private final Authenticator authenticator;
  private final Connections connections;
  private final MqttConfig config;
  private final LongSupplier clock;
  private NetServer server;

  MqttListener(Vertx vertx, Broker broker, Authenticator authenticator, Connections connections, MqttConfig config,
               LongSupplier clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.broker = Objects.requireNonNull(broker, "broker");
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.connections = Objects.requireNonNull(connections, "connections");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Starts listening; answers the bound port. */
  Future<Integer> listen(NetServerOptions options) {
    server = vertx.createNetServer(options.setHost(config.host()).setTcpNoDelay(true));
    server.connectHandler(this::accept);
    return server.listen().map(NetServer::actualPort);
  }

  private void accept(NetSocket so) {
    NetSocketInternal socket = (NetSocketInternal) so;
    ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
    pipeline.addBefore("handler", "mqttEncoder", MqttEncoder.INSTANCE);
    pipeline.addBefore("handler", "mqttDecoder", new MqttDecoder(decoderLimit(config.maxPacketSize()), 65535));
    new MqttConnection(socket, broker, authenticator, connections, config, clock);
  }

  /** Netty's limit is on the remaining length; ours (MQTT's Maximum Packet Size) is on the whole packet. */
  static int decoderLimit(int maxPacketSize) {
    int lengthBytes = maxPacketSize < 128 ? 1 : maxPacketSize < 16_384 ? 2 : maxPacketSize < 2_097_152 ? 3 : 4;
    return maxPacketSize - 1 - lengthBytes;
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
