package io.edgewhisk.mqtt.bridge.paho;

import io.edgewhisk.mqtt.bridge.BridgeLink;
import io.edgewhisk.mqtt.broker.MessageProperties;
import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** One MQTT 3.1.1 connection through Paho's {@code mqttv3} client. */
final class PahoV3Link implements BridgeLink, MqttCallback {
  private final Context context;
  private final MqttAsyncClient client;
  private final Listener listener;
  private final String publisher;
  private final PendingSends pending;
  private volatile boolean sessionPresent;
  private volatile boolean down;

  private PahoV3Link(Context context, MqttAsyncClient client, Listener listener, String bridge) {
    this.context = context;
    this.client = client;
    this.listener = listener;
    this.publisher = "$bridge:" + bridge;
    this.pending = new PendingSends(context);
  }

  /** Creates the client and starts connecting (on a worker thread); {@code connected} completes on the context. */
  static void open(Context context, LinkSettings s, SocketFactory sockets, Listener listener,
                   Promise<BridgeLink> connected) throws Exception {
    var c = s.config();
    MqttConnectOptions o = new MqttConnectOptions();
    o.setServerURIs(c.urls().toArray(String[]::new));
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(false);
    o.setKeepAliveInterval(c.keepAliveSeconds());
    o.setConnectionTimeout(c.connectTimeoutSeconds());
    o.setAutomaticReconnect(false);
    o.setMaxInflight(c.maxInflight());
    if (!c.username().isEmpty()) {
      o.setUserName(c.username());
    }
    if (s.password() != null) {
      o.setPassword(s.password());
    }
    if (sockets != null) {
      o.setSocketFactory(sockets);
      o.setHttpsHostnameVerificationEnabled(c.tlsVerifyHostname());
    }
    MqttAsyncClient client = new MqttAsyncClient(c.urls().get(0), s.clientId(), new MemoryPersistence());
    PahoV3Link link = new PahoV3Link(context, client, listener, c.name());
    client.setManualAcks(true);
    client.setCallback(link);
    client.connect(o, null, new IMqttActionListener() {
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
    Promise<Void> acked = Promise.promise();
    return pending.send(acked, () -> client.publish(m.topic(), message, null, listener(acked, t -> null)),
        // a RuntimeException: e.g. a topic Paho will not send, which sending again would never change
        e -> e instanceof org.eclipse.paho.client.mqttv3.MqttException ? e
            : new PublishRefused(0x80, "Paho refused the message: " + e.getMessage()));
  }

  @Override
  public Future<List<Integer>> subscribe(List<RemoteFilter> filters) {
    Promise<List<Integer>> granted = Promise.promise();
    return pending.send(granted, () -> client.subscribe(filters.stream().map(RemoteFilter::filter).toArray(String[]::new),
        filters.stream().mapToInt(RemoteFilter::qos).toArray(), null, listener(granted, t -> {
          List<Integer> out = new ArrayList<>();
          for (int q : t.getGrantedQos()) {
            out.add(q);
          }
          return out;
        })), e -> e);
  }

  @Override
  public Future<Void> unsubscribe(List<String> filters) {
    Promise<Void> done = Promise.promise();
    return pending.send(done, () -> client.unsubscribe(filters.toArray(String[]::new), null, listener(done, t -> null)),
        e -> e);
  }

  private <T> IMqttActionListener listener(Promise<T> promise, java.util.function.Function<IMqttToken, T> value) {
    return new IMqttActionListener() {
      @Override
      public void onSuccess(IMqttToken token) {
        pending.succeeded(promise, value.apply(token));
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
        client.disconnectForcibly(0, 1000);
      } finally {
        client.close(true);
      }
    });
  }

  @Override
  public void connectionLost(Throwable cause) {
    down = true;
    pending.failAll(cause);
    context.runOnContext(v -> listener.lost(this, cause));
  }

  @Override
  public void messageArrived(String topic, MqttMessage m) {
    int id = m.getId();
    int qos = m.getQos();
    boolean dup = m.isDuplicate();
    PublishedMessage message = new PublishedMessage(topic, m.getPayload(), qos, m.isRetained(), MessageProperties.NONE,
        0, publisher);
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
  public void deliveryComplete(IMqttDeliveryToken token) {
    // each publish has its own listener
  }
}
