package io.edgewhisk.mqtt.bridge.paho;

import io.edgewhisk.mqtt.bridge.BridgeLink;
import io.edgewhisk.mqtt.broker.MessageProperties;
import io.edgewhisk.mqtt.broker.PublishedMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
  /** Sends waiting for their acknowledgement: failed when the connection goes (Paho would keep them). */
  private final Set<Promise<?>> pending = ConcurrentHashMap.newKeySet();
  private volatile boolean sessionPresent;
  private volatile boolean down;

  private PahoV3Link(Context context, MqttAsyncClient client, Listener listener, String bridge) {
    this.context = context;
    this.client = client;
    this.listener = listener;
    this.publisher = "$bridge:" + bridge;
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
    Promise<Void> acked = Promise.promise();
    if (down) {
      return Future.failedFuture("the link is down");
    }
    MqttMessage message = new MqttMessage(m.payload());
    message.setQos(m.qos());
    message.setRetained(m.retain());
    pending.add(acked);
    try {
      client.publish(m.topic(), message, null, listener(acked, t -> null));
    } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
      pending.remove(acked);
      return Future.failedFuture(e);
    } catch (RuntimeException e) {
      pending.remove(acked);
      // e.g. a topic Paho will not send: sending it again would never succeed
      return Future.failedFuture(new PublishRefused(0x80, "Paho refused the message: " + e.getMessage()));
    }
    return acked.future();
  }

  @Override
  public Future<List<Integer>> subscribe(List<RemoteFilter> filters) {
    Promise<List<Integer>> granted = Promise.promise();
    pending.add(granted);
    try {
      client.subscribe(filters.stream().map(RemoteFilter::filter).toArray(String[]::new),
          filters.stream().mapToInt(RemoteFilter::qos).toArray(), null, listener(granted, t -> {
            List<Integer> out = new ArrayList<>();
            for (int q : t.getGrantedQos()) {
              out.add(q);
            }
            return out;
          }));
    } catch (Exception e) {
      pending.remove(granted);
      return Future.failedFuture(e);
    }
    return granted.future();
  }

  @Override
  public Future<Void> unsubscribe(List<String> filters) {
    Promise<Void> done = Promise.promise();
    pending.add(done);
    try {
      client.unsubscribe(filters.toArray(String[]::new), null, listener(done, t -> null));
    } catch (Exception e) {
      pending.remove(done);
      return Future.failedFuture(e);
    }
    return done.future();
  }

  private <T> IMqttActionListener listener(Promise<T> promise, java.util.function.Function<IMqttToken, T> value) {
    return new IMqttActionListener() {
      @Override
      public void onSuccess(IMqttToken token) {
        T v = value.apply(token);
        context.runOnContext(x -> {
          pending.remove(promise);
          promise.tryComplete(v);
        });
      }

      @Override
      public void onFailure(IMqttToken token, Throwable e) {
        context.runOnContext(x -> {
          pending.remove(promise);
          promise.tryFail(e);
        });
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
    failPending(new IllegalStateException("the link was closed"));
    return PahoLinks.quietly(context, () -> {
      try {
        client.disconnectForcibly(0, 1000);
      } finally {
        client.close(true);
      }
    });
  }

  private void failPending(Throwable cause) {
    context.runOnContext(v -> {
      for (Promise<?> p : List.copyOf(pending)) {
        pending.remove(p);
        p.tryFail(cause);
      }
    });
  }

  @Override
  public void connectionLost(Throwable cause) {
    down = true;
    failPending(cause);
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
