package io.edgewhisk.mqtt.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded broker with Eclipse Paho's MQTT 3.1.1 client: QoS both ways, retained, wildcards, sessions, wills, security. */
class PahoV3IT {
  static EmbeddedBroker broker;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start(Map.of(
        "edgewhisk.mqtt.user-rules", List.of("deny publish forbidden/#", "deny subscribe secret/#", "allow all #", "allow subscribe $SYS/#")));
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
  }

  static MqttClient client(String id, boolean clean) throws MqttException {
    MqttClient c = new MqttClient(broker.tcpUrl(), id, new MemoryPersistence());
    MqttConnectOptions o = options(clean);
    c.connect(o);
    return c;
  }

  static MqttConnectOptions options(boolean clean) {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setUserName(EmbeddedBroker.USER);
    o.setPassword(EmbeddedBroker.PASSWORD.toCharArray());
    o.setCleanSession(clean);
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setAutomaticReconnect(false);
    return o;
  }

  record Received(String topic, String payload, int qos, boolean retained, boolean dup) {}

  static BlockingQueue<Received> inbox(MqttClient c) {
    BlockingQueue<Received> q = new LinkedBlockingQueue<>();
    c.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
      public void connectionLost(Throwable cause) { }
      public void messageArrived(String topic, MqttMessage m) {
        q.add(new Received(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.getQos(), m.isRetained(),
            m.isDuplicate()));
      }
      public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) { }
    });
    return q;
  }

  static Received next(BlockingQueue<Received> q) throws InterruptedException {
    Received r = q.poll(10, TimeUnit.SECONDS);
    assertNotNull(r, "no message arrived within 10 s");
    return r;
  }

  @Test
  void everyQosBothWays() throws Exception {
    MqttClient sub = client("v3-sub", true);
    BlockingQueue<Received> in = inbox(sub);
    sub.subscribe("qos/+/x", 2);
    MqttClient pub = client("v3-pub", true);
    for (int qos = 0; qos <= 2; qos++) {
      pub.publish("qos/" + qos + "/x", ("m" + qos).getBytes(), qos, false);
      Received r = next(in);
      assertEquals("qos/" + qos + "/x", r.topic());
      assertEquals("m" + qos, r.payload());
      assertEquals(qos, r.qos());
    }
    pub.publish("qos/1/y", "not matched".getBytes(), 1, false);
    pub.publish("qos/1/x", "last".getBytes(), 1, false);
    assertEquals("last", next(in).payload());
    sub.disconnect();
    pub.disconnect();
  }

  @Test
  void subscriptionQosCapsDelivery() throws Exception {
    MqttClient sub = client("v3-cap", true);
    BlockingQueue<Received> in = inbox(sub);
    sub.subscribe("cap/#", 1);
    MqttClient pub = client("v3-cap-pub", true);
    pub.publish("cap/a", "two".getBytes(), 2, false);
    assertEquals(1, next(in).qos());
    sub.disconnect();
    pub.disconnect();
  }

  @Test
  void retainedSetReplacedAndCleared() throws Exception {
    MqttClient pub = client("v3-ret-pub", true);
    pub.publish("ret/a", "one".getBytes(), 1, true);
    pub.publish("ret/a", "two".getBytes(), 1, true);
    MqttClient sub = client("v3-ret-sub", true);
    BlockingQueue<Received> in = inbox(sub);
    sub.subscribe("ret/#", 1);
    Received r = next(in);
    assertEquals("two", r.payload());
    assertTrue(r.retained());
    pub.publish("ret/a", new byte[0], 1, true);
    Received clearing = next(in); // the empty message is delivered to live subscribers too
    assertEquals("", clearing.payload());
    MqttClient late = client("v3-ret-late", true);
    BlockingQueue<Received> lateIn = inbox(late);
    late.subscribe("ret/#", 1);
    assertNull(lateIn.poll(500, TimeUnit.MILLISECONDS), "a cleared retained message is not sent");
    pub.disconnect();
    sub.disconnect();
    late.disconnect();
  }

  @Test
  void dollarTopicsAreNotMatchedByLeadingWildcards() throws Exception {
    MqttClient sub = client("v3-dollar", true);
    BlockingQueue<Received> in = inbox(sub);
    sub.subscribe("#", 0);
    sub.subscribe("$SYS/broker/version", 0);
    Received r = next(in);
    assertEquals("$SYS/broker/version", r.topic(), "only the explicit $SYS subscription sees $SYS");
    // the periodic $SYS publication may come meanwhile: only the explicitly subscribed topic may arrive
    for (Received more = in.poll(300, TimeUnit.MILLISECONDS); more != null; more = in.poll(300, TimeUnit.MILLISECONDS)) {
      assertEquals("$SYS/broker/version", more.topic(), "# does not match $SYS topics");
    }
    sub.disconnect();
  }

  @Test
  void persistentSessionQueuesWhileOfflineAndKeepsSubscriptions() throws Exception {
    MqttClient sub = client("v3-persist", false);
    sub.subscribe("persist/#", 1);
    sub.disconnect();
    sub.close();
    MqttClient pub = client("v3-persist-pub", true);
    for (int i = 0; i < 5; i++) {
      pub.publish("persist/t", ("q" + i).getBytes(), 1, false);
    }
    pub.publish("persist/t", "qos0 is not queued".getBytes(), 0, false);
    MqttClient back = new MqttClient(broker.tcpUrl(), "v3-persist", new MemoryPersistence());
    BlockingQueue<Received> in = inbox(back);
    IMqttToken t = back.connectWithResult(options(false));
    assertTrue(t.getSessionPresent());
    for (int i = 0; i < 5; i++) {
      assertEquals("q" + i, next(in).payload());
    }
    assertNull(in.poll(300, TimeUnit.MILLISECONDS));
    back.disconnect();
    // a clean session discards it
    MqttClient clean = new MqttClient(broker.tcpUrl(), "v3-persist", new MemoryPersistence());
    assertFalse(clean.connectWithResult(options(true)).getSessionPresent());
    clean.disconnect();
    pub.disconnect();
  }

  @Test
  void willIsPublishedWhenTheConnectionIsLostNotOnDisconnect() throws Exception {
    MqttClient watcher = client("v3-will-watch", true);
    BlockingQueue<Received> in = inbox(watcher);
    watcher.subscribe("will/#", 1);
    MqttConnectOptions o = options(true);
    o.setWill("will/dead", "gone".getBytes(), 1, false);
    MqttClient polite = new MqttClient(broker.tcpUrl(), "v3-will-polite", new MemoryPersistence());
    polite.connect(o);
    polite.disconnect();
    assertNull(in.poll(500, TimeUnit.MILLISECONDS), "no will after a DISCONNECT");
    MqttClient rude = new MqttClient(broker.tcpUrl(), "v3-will-rude", new MemoryPersistence());
    rude.connect(o);
    // a second connection with the same client id takes the session over: the first one's will goes out
    MqttClient takeover = new MqttClient(broker.tcpUrl(), "v3-will-rude", new MemoryPersistence());
    takeover.connect(options(true));
    assertEquals("gone", next(in).payload());
    takeover.disconnect();
    watcher.disconnect();
  }

  @Test
  void badCredentialsAreRefused() throws Exception {
    MqttClient c = new MqttClient(broker.tcpUrl(), "v3-bad", new MemoryPersistence());
    MqttConnectOptions o = options(true);
    o.setPassword("wrong".toCharArray());
    MqttException e = assertThrows(MqttException.class, () -> c.connect(o));
    assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, e.getReasonCode());
    MqttConnectOptions anonymous = new MqttConnectOptions();
    anonymous.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    MqttException a = assertThrows(MqttException.class, () -> c.connect(anonymous));
    assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, a.getReasonCode());
  }

  @Test
  void rulesRefuseAPublishAndASubscribe() throws Exception {
    MqttClient c = client("v3-rules", true);
    BlockingQueue<Received> in = inbox(c);
    IMqttToken refused = c.subscribeWithResponse("secret/x", 1);
    assertEquals(128, refused.getGrantedQos()[0]);
    c.subscribe("forbidden/#", 1);
    c.subscribe("allowed/#", 1);
    c.publish("forbidden/x", "dropped".getBytes(), 1, false); // acknowledged (3.1.1 cannot say no), not routed
    c.publish("allowed/x", "routed".getBytes(), 1, false);
    assertEquals("routed", next(in).payload());
    assertNull(in.poll(300, TimeUnit.MILLISECONDS));
    c.disconnect();
  }
}
