package io.edgewhisk.mqtt.server;

import static io.edgewhisk.mqtt.server.ReasonCodes.*;

import io.edgewhisk.mqtt.broker.Broker;
import io.edgewhisk.mqtt.broker.ClientLink;
import io.edgewhisk.mqtt.broker.Delivery;
import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.edgewhisk.mqtt.broker.Session;
import io.edgewhisk.mqtt.broker.Topics;
import io.edgewhisk.mqtt.broker.Will;
import io.edgewhisk.mqtt.config.MqttConfig;
import io.edgewhisk.mqtt.security.AuthenticationFailed;
import io.edgewhisk.mqtt.security.Authenticator;
import io.edgewhisk.mqtt.security.Principal;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.util.ReferenceCountUtil;
import java.util.Objects;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * One client connection: the MQTT protocol state machine between Netty's decoded packets and the broker
 * (CONNECT and authentication, the inbound QoS flows, keep-alive, topic aliases both ways, and the client's
 * limits). Runs on the broker's event loop; the session it holds outlives it when persistent.
 */
final class MqttConnection implements ClientLink {
  private enum State { AWAIT_CONNECT, AUTHENTICATING, CONNECTED, CLOSED }

  private final Transport socket;
  private final Broker broker;
  private final Authenticator authenticator;
  private final Connections connections;
  private final MqttConfig config;
  private final LongSupplier clock;
  private final long openedAt;
  private final InboundFlow inbound;
  private final TopicAliases aliases;
  private State state = State.AWAIT_CONNECT;
  private int version = 4;
  private String clientId;
  private Principal principal;
  private Session session;
  private Will will;
  private long lastPacketAt;
  private int keepAliveSeconds;
  private int clientReceiveMaximum = 65535;
  private int clientMaximumPacketSize = 268_435_460;

  MqttConnection(Transport socket, Broker broker, Authenticator authenticator, Connections connections,
                 MqttConfig config, LongSupplier clock) {
    this.socket = Objects.requireNonNull(socket, "socket");
    this.broker = Objects.requireNonNull(broker, "broker");
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.connections = Objects.requireNonNull(connections, "connections");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.openedAt = clock.getAsLong();
    this.lastPacketAt = openedAt;
    this.inbound = new InboundFlow(this, broker, config);
    this.aliases = new TopicAliases(config.topicAliasMaximum());
    connections.add(this);
    socket.packetHandler(this::handle);
    socket.closeHandler(v -> closed());
    socket.drainHandler(v -> {
      if (state == State.CONNECTED) {
        broker.drained(session);
      }
    });
  }

  String user() {
    return principal == null ? null : principal.user();
  }

  String clientId() {
    return clientId;
  }

  Principal principal() {
    return principal;
  }

  Session session() {
    return session;
  }

  TopicAliases aliases() {
    return aliases;
  }

  boolean v5() {
    return version == 5;
  }

  private void handle(Object msg) {
    try {
      if (state == State.CLOSED || !(msg instanceof MqttMessage m)) {
        return;
      }
      lastPacketAt = clock.getAsLong();
      if (m.decoderResult().isFailure()) {
        malformed(m.decoderResult().cause());
        return;
      }
      MqttMessageType type = m.fixedHeader().messageType();
      if (type == MqttMessageType.CONNECT) {
        connect((MqttConnectMessage) m);
      } else if (state != State.CONNECTED) {
        // MQTT 5 §3.1: the first packet must be CONNECT; nothing else is processed before CONNACK
        close();
      } else {
        dispatch(type, m);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void dispatch(MqttMessageType type, MqttMessage m) {
    switch (type) {
      case PUBLISH -> inbound.publish((MqttPublishMessage) m);
      case PUBREL -> inbound.pubrel(packetId(m));
      case PUBACK -> broker.acknowledged(session, packetId(m));
      case PUBCOMP -> broker.acknowledged(session, packetId(m));
      case PUBREC -> pubrec(m);
      case SUBSCRIBE -> inbound.subscribe((MqttSubscribeMessage) m);
      case UNSUBSCRIBE -> inbound.unsubscribe((MqttUnsubscribeMessage) m);
      case PINGREQ -> write(Packets.pingResp());
      case DISCONNECT -> clientDisconnect(m);
      default -> disconnect(PROTOCOL_ERROR, "unexpected " + type);
    }
  }

  private static int packetId(MqttMessage m) {
    return ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
  }

  private void pubrec(MqttMessage m) {
    int id = packetId(m);
    if (m.variableHeader() instanceof MqttPubReplyMessageVariableHeader r && (r.reasonCode() & 0xFF) >= 0x80) {
      broker.acknowledged(session, id); // the receiver refused it: the flow ends here (MQTT 5 §4.3.3)
    } else if (!broker.received(session, id)) {
      write(Packets.pubReply(MqttMessageType.PUBREL, id, PACKET_ID_NOT_FOUND, v5()));
    }
  }

  private void malformed(Throwable cause) {
    if (cause instanceof TooLongFrameException || (cause instanceof DecoderException
        && cause.getCause() instanceof TooLongFrameException)) {
      broker.stats().closedForLimit();
      disconnect(PACKET_TOO_LARGE, "packet larger than " + config.maxPacketSize() + " bytes");
    } else if (state == State.AWAIT_CONNECT && cause instanceof MqttUnacceptableProtocolVersionException) {
      refuse(V3_UNACCEPTABLE_PROTOCOL, UNSUPPORTED_PROTOCOL_VERSION);
    } else if (state == State.AWAIT_CONNECT && cause instanceof MqttIdentifierRejectedException) {
      refuse(V3_IDENTIFIER_REJECTED, CLIENT_IDENTIFIER_NOT_VALID);
    } else {
      disconnect(MALFORMED_PACKET, "malformed packet");
    }
  }

  private void connect(MqttConnectMessage m) {
    if (state != State.AWAIT_CONNECT) {
      disconnect(PROTOCOL_ERROR, "second CONNECT");
      return;
    }
    MqttConnectVariableHeader h = m.variableHeader();
    MqttConnectPayload p = m.payload();
    version = h.version();
    MqttProperties props = h.properties();
    if (v5() && InboundProperties.string(props, MqttProperties.AUTHENTICATION_METHOD) != null) {
      refuse(V3_NOT_AUTHORIZED, BAD_AUTHENTICATION_METHOD);
      return;
    }
    if (connections.full()) {
      broker.stats().closedForLimit();
      refuse(V3_SERVER_UNAVAILABLE, QUOTA_EXCEEDED);
      return;
    }
    boolean assigned = p.clientIdentifier() == null || p.clientIdentifier().isEmpty();
    if (assigned && !h.isCleanSession() && !v5()) {
      refuse(V3_IDENTIFIER_REJECTED, CLIENT_IDENTIFIER_NOT_VALID);
      return;
    }
    clientId = assigned ? "auto-" + UUID.randomUUID() : p.clientIdentifier();
    clientReceiveMaximum = (int) InboundProperties.integer(props, MqttProperties.RECEIVE_MAXIMUM, 65535);
    clientMaximumPacketSize = (int) Math.min(Integer.MAX_VALUE,
        InboundProperties.integer(props, MqttProperties.MAXIMUM_PACKET_SIZE, 268_435_460));
    aliases.outboundMaximum((int) InboundProperties.integer(props, MqttProperties.TOPIC_ALIAS_MAXIMUM, 0));
    long expiry = v5() ? Math.min(config.maxSessionExpiry(),
        InboundProperties.integer(props, MqttProperties.SESSION_EXPIRY_INTERVAL, 0))
        : h.isCleanSession() ? 0 : config.sessionExpiryDefault();
    boolean serverKeepAlive = h.keepAliveTimeSeconds() == 0 || h.keepAliveTimeSeconds() > config.maxKeepAlive();
    keepAliveSeconds = serverKeepAlive ? config.maxKeepAlive() : h.keepAliveTimeSeconds();
    if (h.isWillFlag()) {
      if (!Topics.isValidTopicName(p.willTopic())) {
        refuse(V3_IDENTIFIER_REJECTED, TOPIC_NAME_INVALID);
        return;
      }
      MqttProperties wp = p.willProperties();
      long willExpiry = InboundProperties.integer(wp, MqttProperties.PUBLICATION_EXPIRY_INTERVAL, 0);
      will = new Will(new PublishedMessage(p.willTopic(), p.willMessageInBytes() == null ? new byte[0]
          : p.willMessageInBytes(), h.willQos(), h.isWillRetain(), InboundProperties.message(wp),
          willExpiry == 0 ? 0 : clock.getAsLong() + willExpiry * 1000, clientId),
          InboundProperties.integer(wp, MqttProperties.WILL_DELAY_INTERVAL, 0));
    }
    state = State.AUTHENTICATING;
    socket.pause();
    boolean expiryChanged = v5() && expiry != InboundProperties.integer(props, MqttProperties.SESSION_EXPIRY_INTERVAL, 0);
    authenticator.authenticate(h.hasUserName() ? p.userName() : null, h.hasPassword() ? p.passwordInBytes() : null)
        .onComplete(ar -> {
          if (state == State.CLOSED) {
            return;
          }
          socket.resume();
          if (ar.failed()) {
            boolean bad = ar.cause() instanceof AuthenticationFailed f && f.badCredentials();
            refuse(bad ? V3_BAD_CREDENTIALS : V3_NOT_AUTHORIZED, bad ? BAD_USER_NAME_OR_PASSWORD : NOT_AUTHORIZED);
            return;
          }
          principal = ar.result();
          if (will != null && !principal.mayPublish(will.message().topic(), clientId)) {
            refuse(V3_NOT_AUTHORIZED, NOT_AUTHORIZED);
            return;
          }
          accept(h.isCleanSession(), expiry, expiryChanged, serverKeepAlive, assigned);
        });
  }

  private void accept(boolean cleanStart, long expiry, boolean expiryChanged, boolean serverKeepAlive,
                      boolean assigned) {
    Broker.Opened opened = broker.open(clientId, cleanStart, expiry);
    session = opened.session();
    MqttProperties props = MqttProperties.NO_PROPERTIES;
    if (v5()) {
      props = new MqttProperties();
      if (expiryChanged) {
        props.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, (int) expiry));
      }
      props.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, config.receiveMaximum()));
      props.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, config.maxPacketSize()));
      props.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM, config.topicAliasMaximum()));
      if (serverKeepAlive) {
        props.add(new MqttProperties.IntegerProperty(MqttProperties.SERVER_KEEP_ALIVE, keepAliveSeconds));
      }
      if (assigned) {
        props.add(new MqttProperties.StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, clientId));
      }
    }
    write(Packets.connAck(SUCCESS, opened.present(), props));
    state = State.CONNECTED;
    broker.resume(session, this);
  }

  /** Refuses a CONNECT with the return code of its protocol version, then closes. */
  private void refuse(int v3Code, int v5Code) {
    broker.stats().connectionRefused();
    write(Packets.connAck(v5() ? v5Code : v3Code, false, MqttProperties.NO_PROPERTIES));
    close();
  }

  private void clientDisconnect(MqttMessage m) {
    int reason = SUCCESS;
    if (m.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader h) {
      reason = h.reasonCode() & 0xFF;
      Integer expiry = InboundProperties.integer(h.properties(), MqttProperties.SESSION_EXPIRY_INTERVAL);
      if (expiry != null) {
        if (session.expirySeconds() == 0 && expiry != 0) {
          disconnect(PROTOCOL_ERROR, "session expiry cannot be set at DISCONNECT when it was 0");
          return;
        }
        broker.changeExpiry(session, Math.min(config.maxSessionExpiry(), Integer.toUnsignedLong(expiry)));
      }
    }
    if (reason != DISCONNECT_WITH_WILL) {
      will = null; // a normal DISCONNECT discards the will (MQTT 5 §3.14.4)
    }
    close();
  }

  void checkTimeouts(long now) {
    if (state == State.AWAIT_CONNECT && now - openedAt > config.connectTimeout().toMillis()) {
      close();
    } else if (state == State.CONNECTED && now - lastPacketAt > keepAliveSeconds * 1500L) {
      disconnect(KEEP_ALIVE_TIMEOUT, "keep alive timeout");
    }
  }

  void write(MqttMessage m) {
    if (state != State.CLOSED) {
      socket.write(m);
    } else {
      ReferenceCountUtil.release(m);
    }
  }

  private void close() {
    socket.close();
  }

  private void closed() {
    if (state == State.CLOSED) {
      return;
    }
    State was = state;
    state = State.CLOSED;
    connections.remove(this);
    if (was == State.CONNECTED) {
      broker.closed(session, this, will);
    }
  }

  @Override
  public int protocolVersion() {
    return version;
  }

  @Override
  public int receiveMaximum() {
    return clientReceiveMaximum;
  }

  @Override
  public int maximumPacketSize() {
    return clientMaximumPacketSize;
  }

  @Override
  public boolean writable() {
    return !socket.writeQueueFull();
  }

  @Override
  public void publish(Delivery d, int packetId, boolean dup) {
    long now = clock.getAsLong();
    int alias = aliases.outbound(d.message().topic());
    boolean known = alias < 0;
    write(Packets.publish(d, packetId, dup, v5(), Math.abs(alias), known, now));
    broker.stats().sent(d.message().payload().length);
  }

  @Override
  public void pubrel(int packetId) {
    write(Packets.pubReply(MqttMessageType.PUBREL, packetId, SUCCESS, v5()));
  }

  @Override
  public void disconnect(int reasonCode, String reason) {
    if (v5() && state == State.CONNECTED) {
      write(Packets.disconnect(reasonCode, reason));
    }
    close();
  }
}
