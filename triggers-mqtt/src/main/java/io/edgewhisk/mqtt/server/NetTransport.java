package io.edgewhisk.mqtt.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP or TLS connection with Netty's MQTT codec in its pipeline, as vertx-mqtt does it; its packets come from a
 * {@link PacketSource}, the pipeline's last handler, and what it writes starts there. Outgoing packets of
 * a message stream are encoded into one batch buffer (see {@link FastPackets}) that goes to the socket when
 * it is full or when the event loop has finished what it is doing; other packets go through Netty's encoder,
 * in order with the batch.
 */
final class NetTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(NetTransport.class);
  /** A batch this full goes out at once, so a subscriber's socket is kept fed during a long burst of reads. */
  static final int BATCH_BYTES = 16 * 1024;
  /** Set by Netty's decoder from CONNECT; its encoder frames by it, and so does {@link FastPackets}. */
  private static final AttributeKey<MqttVersion> VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");
  private final PacketSource source;
  private final ChannelHandlerContext context;
  private ByteBuf batch;
  private boolean flushPending;
  private boolean closed;

  /**
   * @param context the pipeline's last handler (named {@code handler}), whose packets {@code source} hands on
   */
  NetTransport(ChannelHandlerContext context, PacketSource source, int decoderLimit) {
    this.source = source;
    this.context = context;
    // Netty 4.2's adaptive allocator, under a heap of 512 MB or less (the appliance's), pools no buffer over
    // 16 KB: every 64 KB read and every growth of the decoder's cumulation became a fresh, zeroed direct
    // buffer (a fifth of the broker's CPU under a stream of small messages). The pooled allocator reuses them.
    context.channel().config().setAllocator(PooledByteBufAllocator.DEFAULT);
    ChannelPipeline pipeline = context.pipeline();
    pipeline.addBefore("handler", "mqttEncoder", MqttEncoder.INSTANCE);
    pipeline.addBefore("handler", "mqttDecoder", new MqttDecoder(decoderLimit, 65535));
    source.exceptionHandler(t -> {
      LOG.debug("closing an MQTT connection after an error", t);
      source.close();
    });
  }

  @Override
  public void packetHandler(Handler<Object> handler) {
    source.packetHandler(handler);
  }

  @Override
  public void closeHandler(Handler<Void> handler) {
    source.closeHandler(v -> {
      closed = true;
      releaseBatch();
      handler.handle(v);
    });
  }

  /**
   * Writes without flushing and flushes once when the event loop has finished what it is doing: a burst of
   * messages routed to this client while reading a publisher's packets leaves in few system calls, not one each.
   */
  @Override
  public void write(MqttMessage message) {
    if (closed) {
      ReferenceCountUtil.release(message);
      return;
    }
    boolean batched;
    try {
      batched = FastPackets.encode(message, v5(), this::batch, BATCH_BYTES);
    } catch (RuntimeException e) {
      ReferenceCountUtil.release(message);
      throw e;
    }
    if (batched) {
      ReferenceCountUtil.release(message);
      if (batch.readableBytes() >= BATCH_BYTES) {
        writeBatch();
        context.flush();
      }
    } else {
      writeBatch();
      context.write(message, context.voidPromise());
    }
    if (!flushPending) {
      flushPending = true;
      context.executor().execute(this::flush);
    }
  }

  private void flush() {
    flushPending = false;
    writeBatch();
    releaseBatch(); // an idle connection holds no buffer
    context.flush();
  }

  /** The batch to append to, started small: most turns of the event loop add a packet or two. */
  private ByteBuf batch() {
    if (batch == null) {
      batch = context.alloc().directBuffer(1024);
    }
    return batch;
  }

  private boolean v5() {
    return context.channel().attr(VERSION).get() == MqttVersion.MQTT_5;
  }

  /** Hands the batch, if it holds anything, to the channel; the next write starts a new one. */
  private void writeBatch() {
    if (batch != null && batch.isReadable()) {
      ByteBuf full = batch;
      batch = null;
      context.write(full, context.voidPromise());
    }
  }

  private void releaseBatch() {
    if (batch != null) {
      batch.release();
      batch = null;
    }
  }

  @Override
  public void pause() {
    source.pause();
  }

  @Override
  public void resume() {
    source.resume();
  }

  /**
   * Netty's own writability (the channel's write buffer over its high-water mark). Not a Vert.x socket's
   * {@code writeQueueFull()}: Vert.x counts only what goes through its own write path, and the broker writes to
   * the channel directly, so a client that never read made the broker's memory grow without bound.
   */
  @Override
  public boolean writeQueueFull() {
    return !context.channel().isWritable();
  }

  /** Called when the channel's write buffer has drained below its low-water mark (Netty's event, as above). */
  @Override
  public void drainHandler(Handler<Void> handler) {
    context.pipeline().addBefore("handler", "mqttDrain", new ChannelInboundHandlerAdapter() {
      @Override
      public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
          handler.handle(null);
        }
        ctx.fireChannelWritabilityChanged();
      }
    });
  }

  @Override
  public void close() {
    if (!closed) {
      writeBatch();
      context.flush();
    }
    source.close();
  }
}
