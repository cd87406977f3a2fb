package io.edgewhisk.mqtt.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayDeque;

/**
 * The last handler of a bare channel's pipeline (named {@code handler}, after Netty's MQTT codec): hands each
 * decoded packet, the close and any error to the connection on the broker's context. Paused, it stops reading
 * and keeps what the decoder still produces from bytes already read; resumed, it hands those on in order once
 * the code that resumed it has finished (as a Vert.x socket does), so a connection that resumes before it has
 * settled its state (CONNECT answered, say) sees the next packet only after that.
 */
final class ChannelPacketSource extends ChannelInboundHandlerAdapter implements PacketSource {
  static final String NAME = "handler";
  private final ContextInternal context;
  private ChannelHandlerContext channel;
  private Handler<Object> packets = ReferenceCountUtil::release;
  private Handler<Void> closed = v -> { };
  private Handler<Throwable> errors = t -> { };
  private ArrayDeque<Object> held; // made only when a paused connection receives something
  private boolean paused;

  ChannelPacketSource(ContextInternal context) {
    this.context = context;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx;
  }

  /** This handler's place in the pipeline: what the connection writes starts there, through the encoder. */
  ChannelHandlerContext channelContext() {
    return channel;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (paused || held != null) {
      if (held == null) {
        held = new ArrayDeque<>();
      }
      held.add(msg);
    } else {
      context.dispatch(msg, packets);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseHeld();
    context.dispatch(null, closed);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    context.dispatch(cause, errors);
  }

  @Override
  public void packetHandler(Handler<Object> handler) {
    packets = handler;
  }

  @Override
  public void closeHandler(Handler<Void> handler) {
    closed = handler;
  }

  @Override
  public void exceptionHandler(Handler<Throwable> handler) {
    errors = handler;
  }

  @Override
  public void pause() {
    paused = true;
    channel.channel().config().setAutoRead(false);
  }

  @Override
  public void resume() {
    paused = false;
    if (held == null) {
      channel.channel().config().setAutoRead(true);
    } else {
      channel.executor().execute(this::handOnHeld);
    }
  }

  private void handOnHeld() {
    while (!paused && held != null && !held.isEmpty()) {
      context.dispatch(held.poll(), packets);
    }
    if (!paused && held != null) {
      held = null;
      channel.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void close() {
    channel.channel().close();
  }

  private void releaseHeld() {
    if (held != null) {
      held.forEach(ReferenceCountUtil::release);
      held = null;
    }
  }
}
