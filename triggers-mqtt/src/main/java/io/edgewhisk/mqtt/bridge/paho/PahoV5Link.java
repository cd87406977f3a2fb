package io.edgewhisk.mqtt.bridge.paho;

import io.edgewhisk.mqtt.bridge.BridgeLink;
import io.edgewhisk.mqtt.broker.MessageProperties;
import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * One MQTT 5 connection through Paho's {@code mqttv5} client. Subscriptions use no-local (what the bridge sends
 * never comes back on its own link), retain-as-published and retain handling 1 (retained messages only for a
 * new subscription, so a reconnect does not bring them again). Properties travel both ways.
 */
final class PahoV5Link implements BridgeLink, MqttCallback {
  private final Context context;
  private final MqttAsyncClient client;
  private final Listener listener;
  private final String publisher;
  /** DISCONNECT reason codes that blame a message: malformed, protocol error, topic invalid, too large, … */
  private static final Set<Integer> MESSAGE_REFUSALS = Set.of(0x81, 0x82, 0x90, 0x95, 0x99, 0x9A, 0x9B);
  private final PendingSends pending;
  private volatile boolean sessionPresent;
  private volatile boolean down;

  private PahoV5Link(Context context, MqttAsyncClient client, Listener listener, String bridge) {
    this.context = context;
    this.client = client;
    this.listener = listener;
    this.publisher = "$bridge:" + bridge;
    this.pending = new PendingSends(context);
  }

  static void open(Context context, LinkSettings s, SocketFactory sockets, Listener listener,
                   Promise<BridgeLink> connected) throws Exception {
    var c = s.config();
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setServerURIs(c.urls().toArray(String[]::new));
    o.setCleanStart(false);
    o.setSessionExpiryInterval(c.sessionExpirySeconds());
    o.setKeepAliveInterval(c.keepAliveSeconds());
    o.setConnectionTimeout(c.connectTimeoutSeconds());
    o.setAutomaticReconnect(false);
    // Receive Maximum: at most 32767 (config-checked); Topic Alias Maximum stays 0 (not sent)
    o.setReceiveMaximum(c.maxInflight());
    if (!c.username().isEmpty()) {
      o.setUserName(c.username());
    }
    if (s.password() != null) {
      o.setPassword(new String(s.password()).getBytes(StandardCharsets.UTF_8));
    }
    if (sockets != null) {
      o.setSocketFactory(sockets);
      o.setHttpsHostnameVerificationEnabled(c.tlsVerifyHostname());
    }
    MqttAsyncClient client = new MqttAsyncClient(c.urls().get(0), s.clientId(), new MemoryPersistence());
    PahoV5Link link = new PahoV5Link(context, client, listener, c.name());
    client.setManualAcks(true);
    client.setCallback(link);
    client.connect(o, null, new MqttActionListener() {
      @Override
      public void onSuccess(IMqttToken token) {
        link.sessionPresent = token.getSessionPresent();
        context.runOnContext(v -> connected.complete(link));
      }

      @Override
      public void onFailure(IMqttToken token, Throwable e) {
        link.down = true;
        PahoLinks.quietly(context, () -> client.close(true));
        context.runOnContext(v -> connected.fail(e));
      }
    });
  }

  @Override
  public Future<Void> publish(PublishedMessage m) {
    if (down) {
      return Future.failedFuture("the link is down");
    }
    MqttMessage message = new MqttMessage(m.payload());
    message.setQos(m.qos());
    message.setRetained(m.retain());
    message.setProperties(properties(m));
    Promise<Void> acked = Promise.promise();
    return pending.send(acked, () -> client.publish(m.topic(), message, null, listener(acked, t -> {
      int[] codes = t.getReasonCodes();
      if (codes != null) {
        for (int code : codes) {
          if (code >= 0x80) {
            throw new PublishRefused(code);
          }
        }
      }
      return null;
    })), e -> e instanceof MqttException ? refusal(e) : new PublishRefused(0x80, "Paho refused the message: "
        + e.getMessage())).recover(e -> Future.failedFuture(refusal(e)));
  }

  /**
   * A failure that blames the message: over the remote broker's Maximum Packet Size (a refusal of this message),
   * or a DISCONNECT whose reason blames one of the messages in flight (the publish fails with it before Paho
   * reports the disconnection; OutboxSender's probing finds which).
   */
  private static Throwable refusal(Throwable e) {
    if (e instanceof MqttException m
        && m.getReasonCode() == org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_OUTGOING_PACKET_TOO_LARGE) {
      return new PublishRefused(0x95, "over the remote broker's maximum packet size");
    }
    int code = serverReason(e);
    return MESSAGE_REFUSALS.contains(code) ? new DroppedForMessage(code) : e;
  }

  /** Paho 1.2.5 reports a server's DISCONNECT reason only inside its exception's message ("… Disconnect RC: 149"). */
  private static int serverReason(Throwable e) {
    if (e != null && e.getMessage() != null) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("Disconnect RC: (\\d+)").matcher(e.getMessage());
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
    return 0;
  }

  private static MqttProperties properties(PublishedMessage m) {
    MqttProperties p = new MqttProperties();
    MessageProperties mp = m.properties();
    if (mp.payloadFormat() != null) {
      p.setPayloadFormat(mp.payloadFormat() == 1);
    }
    p.setContentType(mp.contentType());
    p.setResponseTopic(mp.responseTopic());
    p.setCorrelationData(mp.correlationData());
    List<UserProperty> users = new ArrayList<>();
    mp.userProperties().forEach(u -> users.add(new UserProperty(u.name(), u.value())));
    p.setUserProperties(users);
    if (m.expiresAt() != 0) {
      p.setMessageExpiryInterval(m.remainingExpirySeconds(System.currentTimeMillis()));
    }
    return p;
  }

  @Override
  public Future<List<Integer>> subscribe(List<RemoteFilter> filters) {
    Promise<List<Integer>> granted = Promise.promise();
    MqttSubscription[] subs = filters.stream().map(f -> {
      MqttSubscription s = new MqttSubscription(f.filter(), f.qos());
      s.setNoLocal(true);
      s.setRetainAsPublished(true);
      s.setRetainHandling(1);
      return s;
    }).toArray(MqttSubscription[]::new);
    return pending.send(granted, () -> client.subscribe(subs, null, listener(granted, t -> {
      List<Integer> out = new ArrayList<>();
      for (int q : t.getReasonCodes()) {
        out.add(q);
      }
      return out;
    }), new MqttProperties()), e -> e);
  }

  @Override
  public Future<Void> unsubscribe(List<String> filters) {
    Promise<Void> done = Promise.promise();
    return pending.send(done, () -> client.unsubscribe(filters.toArray(String[]::new), null, listener(done, t -> null),
        new MqttProperties()), e -> e);
  }

  private <T> MqttActionListener listener(Promise<T> promise, Function<IMqttToken, T> value) {
    return new MqttActionListener() {
      @Override
      public void onSuccess(IMqttToken token) {
        T v;
        try {
          v = value.apply(token);
        } catch (RuntimeException e) {
          onFailure(token, e);
          return;
        }
        pending.succeeded(promise, v);
      }

      @Override
      public void onFailure(IMqttToken token, Throwable e) {
        pending.failed(promise, e);
      }
    };
  }

  @Override
  public boolean sessionPresent() {
    return sessionPresent;
  }

  @Override
  public Future<Void> close() {
    down = true;
    pending.failAll(new IllegalStateException("the link was closed"));
    return PahoLinks.quietly(context, () -> {
      try {
        client.disconnectForcibly(0, 1000, false);
      } finally {
        client.close(true);
      }
    });
  }

  @Override
  public void disconnected(MqttDisconnectResponse response) {
    down = true;
    int code = response.getReturnCode() != 0 ? response.getReturnCode() : serverReason(response.getException());
    Throwable cause = MESSAGE_REFUSALS.contains(code) ? new DroppedForMessage(code)
        : response.getException() != null ? response.getException()
        : new IllegalStateException("the remote broker disconnected (reason code " + code + ")");
    pending.failAll(cause);
    context.runOnContext(v -> listener.lost(this, cause));
  }

  @Override
  public void mqttErrorOccurred(MqttException e) {
    // a protocol error Paho could not attribute; the connection is closed and reported through disconnected()
  }

  @Override
  public void messageArrived(String topic, MqttMessage m) {
    int id = m.getId();
    int qos = m.getQos();
    boolean dup = m.isDuplicate();
    MqttProperties p = m.getProperties();
    MessageProperties props = MessageProperties.NONE;
    long expiresAt = 0;
    if (p != null) {
      List<MessageProperties.UserProperty> users = new ArrayList<>();
      if (p.getUserProperties() != null) {
        p.getUserProperties().forEach(u -> users.add(new MessageProperties.UserProperty(u.getKey(), u.getValue())));
      }
      props = new MessageProperties(p.getPayloadFormat() ? 1 : null, p.getContentType(), p.getResponseTopic(),
          p.getCorrelationData(), users);
      if (p.getMessageExpiryInterval() != null) {
        expiresAt = System.currentTimeMillis() + p.getMessageExpiryInterval() * 1000;
      }
    }
    PublishedMessage message = new PublishedMessage(topic, m.getPayload(), qos, m.isRetained(), props, expiresAt,
        publisher);
    context.runOnContext(v -> listener.received(this, message, id, dup, () -> {
      if (qos > 0 && !down) {
        try {
          client.messageArrivedComplete(id, qos);
        } catch (Exception ignored) {
          // the connection went meanwhile: the remote broker sends the message again on the next one
        }
      }
    }));
  }

  @Override
  public void deliveryComplete(IMqttToken token) {
    // each publish has its own listener
  }

  @Override
  public void connectComplete(boolean reconnect, String serverUri) {
    // the connect listener reports it
  }

  @Override
  public void authPacketArrived(int reasonCode, MqttProperties properties) {
    // no enhanced authentication
  }
}
