package io.edgewhisk.mqtt.server;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChannelPacketSourceTest {
  private Vertx vertx;
  private ContextInternal context;
  private final List<MqttMessage> received = new ArrayList<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    context = (ContextInternal) vertx.getOrCreateContext();
  }

  @AfterEach
  void tearDown() {
    received.forEach(m -> {
      if (m instanceof MqttPublishMessage p && p.refCnt() > 0) {
        p.release();
      }
    });
    vertx.close().await();
  }

  /**
   * A channel with Netty's MQTT decoder and the source, as the bare listener's pipeline has them; the source's
   * packets are collected, and it is paused once as many as one of {@code pauseAt} have come (as MqttConnection
   * pauses on CONNECT while it authenticates).
   */
  private EmbeddedChannel channel(ChannelPacketSource source, int... pauseAt) {
    EmbeddedChannel channel = new EmbeddedChannel(new MqttDecoder(), source);
    source.packetHandler(m -> {
      received.add((MqttMessage) m);
      if (IntStream.of(pauseAt).anyMatch(n -> n == received.size())) {
        source.pause();
      }
    });
    return channel;
  }

  /** CONNECT and {@code count} QoS 1 PUBLISH packets in one buffer, as one read brings them. */
  private static ByteBuf connectAndPublishes(int count) {
    EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
    encoder.writeOutbound(MqttMessageBuilders.connect().clientId("c").protocolVersion(MqttVersion.MQTT_3_1_1)
        .cleanSession(true).keepAlive(60).build());
    for (int i = 1; i <= count; i++) {
      encoder.writeOutbound(MqttMessageBuilders.publish().topicName("t").qos(MqttQoS.AT_LEAST_ONCE).messageId(i)
          .payload(Unpooled.copiedBuffer("m" + i, StandardCharsets.UTF_8)).build());
    }
    CompositeByteBuf all = Unpooled.compositeBuffer();
    for (ByteBuf b = encoder.readOutbound(); b != null; b = encoder.readOutbound()) {
      all.addComponent(true, b);
    }
    encoder.finishAndReleaseAll();
    return all;
  }

  private List<String> payloads() {
    return received.stream().filter(m -> m instanceof MqttPublishMessage)
        .map(m -> ((MqttPublishMessage) m).payload().toString(StandardCharsets.UTF_8)).toList();
  }

  @Test
  void pausedItStopsReadingAndHoldsWhatTheDecoderStillMakesTillResumedThenHandsItOnInOrder() {
    ChannelPacketSource source = new ChannelPacketSource(context);
    EmbeddedChannel channel = channel(source, 1);
    channel.writeInbound(connectAndPublishes(3));
    assertEquals(1, received.size(), "only CONNECT before the pause");
    assertFalse(channel.config().isAutoRead(), "a paused connection reads nothing more");

    source.resume();
    assertEquals(1, received.size(), "nothing before the code that resumed has finished");
    channel.runPendingTasks();
    assertEquals(List.of("m1", "m2", "m3"), payloads());
    assertTrue(channel.config().isAutoRead());
    channel.finishAndReleaseAll();
  }

  @Test
  void aPauseWhileHeldPacketsAreHandedOnKeepsTheRestForTheNextResume() {
    ChannelPacketSource source = new ChannelPacketSource(context);
    EmbeddedChannel channel = channel(source, 1, 3);
    channel.writeInbound(connectAndPublishes(4));
    source.resume();
    channel.runPendingTasks();
    assertEquals(List.of("m1", "m2"), payloads(), "paused again after the second held packet");
    assertFalse(channel.config().isAutoRead());
    source.resume();
    channel.runPendingTasks();
    assertEquals(List.of("m1", "m2", "m3", "m4"), payloads());
    assertTrue(channel.config().isAutoRead());
    channel.finishAndReleaseAll();
  }

  @Test
  void closingReleasesHeldPacketsAndTellsTheConnectionOnItsContext() {
    ChannelPacketSource source = new ChannelPacketSource(context);
    EmbeddedChannel channel = channel(source, 1);
    List<MqttPublishMessage> held = new ArrayList<>();
    // between the decoder and the source: each PUBLISH with a payload of its own, to see whether it is released
    channel.pipeline().addBefore(channel.pipeline().context(source).name(), "spy",
        new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof MqttPublishMessage p) {
              MqttPublishMessage own = p.replace(Unpooled.copiedBuffer(p.payload()));
              p.release();
              held.add(own);
              ctx.fireChannelRead(own);
            } else {
              ctx.fireChannelRead(msg);
            }
          }
        });
    List<Object> closedOn = new ArrayList<>();
    source.closeHandler(v -> closedOn.add(Vertx.currentContext()));
    channel.writeInbound(connectAndPublishes(2));
    assertEquals(2, held.size());
    held.forEach(p -> assertEquals(1, p.refCnt()));

    source.close();
    assertFalse(channel.isOpen());
    held.forEach(p -> assertEquals(0, p.refCnt(), "a held packet is released when the connection closes"));
    assertEquals(List.of(context), closedOn);
    assertEquals(1, received.size(), "nothing handed on after the close");
  }
}
