package io.edgewhisk.mqtt.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A Paho MQTT 5 client for tests: what arrived, and why the server disconnected it. */
final class V5Client implements AutoCloseable {
  final MqttAsyncClient client;
  final BlockingQueue<Arrived> inbox = new LinkedBlockingQueue<>();
  final CompletableFuture<MqttDisconnectResponse> disconnected = new CompletableFuture<>();
  IMqttToken connectToken;

  record Arrived(String topic, MqttMessage message) {
    String payload() {
      return new String(message.getPayload(), StandardCharsets.UTF_8);
    }
  }

  V5Client(String url, String clientId) throws MqttException {
    client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
    client.setCallback(new MqttCallback() {
      public void disconnected(MqttDisconnectResponse r) {
        disconnected.complete(r);
      }
      public void mqttErrorOccurred(MqttException e) { }
      public void messageArrived(String topic, MqttMessage m) {
        inbox.add(new Arrived(topic, m));
      }
      public void deliveryComplete(IMqttToken t) { }
      public void connectComplete(boolean reconnect, String uri) { }
      public void authPacketArrived(int reason, MqttProperties p) { }
    });
  }

  static MqttConnectionOptions options() {
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setUserName(EmbeddedBroker.USER);
    o.setPassword(EmbeddedBroker.PASSWORD.getBytes(StandardCharsets.UTF_8));
    o.setAutomaticReconnect(false);
    return o;
  }

  static V5Client connect(String url, String clientId) throws MqttException {
    return connect(url, clientId, options());
  }

  static V5Client connect(String url, String clientId, MqttConnectionOptions o) throws MqttException {
    V5Client c = new V5Client(url, clientId);
    c.connectToken = c.client.connect(o);
    c.connectToken.waitForCompletion(10_000);
    return c;
  }

  IMqttToken subscribe(MqttSubscription sub, Integer identifier) throws MqttException {
    MqttProperties p = new MqttProperties();
    if (identifier != null) {
      p.setSubscriptionIdentifier(identifier);
    }
    IMqttToken t = client.subscribe(new MqttSubscription[] {sub}, null, null, p);
    t.waitForCompletion(10_000);
    return t;
  }

  void publish(String topic, String payload, int qos, boolean retain) throws MqttException {
    MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), qos, retain, new MqttProperties());
    client.publish(topic, m).waitForCompletion(10_000);
  }

  void publish(String topic, MqttMessage m) throws MqttException {
    client.publish(topic, m).waitForCompletion(10_000);
  }

  Arrived next() throws InterruptedException {
    Arrived a = inbox.poll(10, TimeUnit.SECONDS);
    assertNotNull(a, "no message arrived within 10 s");
    return a;
  }

  Arrived poll(long millis) throws InterruptedException {
    return inbox.poll(millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(5000);
      }
      client.close();
    } catch (MqttException e) {
      // best effort
    }
  }
}
