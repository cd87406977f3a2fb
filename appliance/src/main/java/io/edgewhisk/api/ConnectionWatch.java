package io.edgewhisk.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches one HTTP connection from the wire up, so that no client can hold it for ever: with no
 * request on it for the idle timeout it is closed; a request whose head and body have not arrived
 * within the request timeout of its first byte is answered 408 and the connection closed (slow
 * headers included, which HTTP handlers never see). The time the server takes to answer is not
 * counted. Sits in front of the HTTP decoder; everything runs on the connection's event loop.
 */
final class ConnectionWatch extends ChannelDuplexHandler {
  static final String NAME = "edgewhisk-watch";
  private final long idleNanos;
  private final long requestNanos;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> timer;
  /** A request has begun arriving (its first byte was read) and not yet been answered. */
  private boolean receiving;
  /** The request Vert.x has parsed the head of, until it is answered. */
  private HttpServerRequest request;
  /** The request was refused before its body arrived; the connection ends with it. */
  private boolean draining;
  /** Answered and half-closed: what the client still sends is dropped until the connection closes. */
  private boolean closing;
  /**
   * How long a timed-out connection stays half-closed before it is closed: closing a socket with
   * unread input resets it, and a client still sending would lose the 408 (RFC 9112 §9.6).
   */
  private static final long LINGER_MS = 2000;

  ConnectionWatch(Duration idle, Duration request) {
    this.idleNanos = idle.toNanos();
    this.requestNanos = request.toNanos();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    arm(idleNanos, this::idleExpired);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!receiving && msg instanceof ByteBuf b && b.isReadable()) {
      receiving = true;
      arm(requestNanos, this::requestExpired);
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }

  /** Vert.x has the request's head. */
  void requestBegun(HttpServerRequest request) {
    this.request = request;
    if (!receiving) {
      // the head came in the same read as the end of the previous request
      receiving = true;
      arm(requestNanos, this::requestExpired);
    }
  }

  /** The request was answered: the connection is idle until the next one's first byte. */
  void responseEnded() {
    if (request != null && !request.isEnded()) {
      // answered before its body arrived (a refusal): the rest is read and dropped, within the
      // request's time, then the connection is closed
      draining = true;
      return;
    }
    request = null;
    receiving = false;
    arm(idleNanos, this::idleExpired);
  }

  private void idleExpired() {
    if (!receiving) {
      ctx.close();
    }
  }

  private void requestExpired() {
    if (draining) {
      ctx.close();
      return;
    }
    HttpServerRequest r = request;
    if (r != null && r.isEnded()) {
      return; // all of it arrived: the time the answer takes is the server's, not the client's
    }
    if (r != null && !r.response().headWritten() && !r.response().ended()) {
      r.response().setStatusCode(408).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
          .end(timeoutBody(TransactionIds.next()).toString())
          .onComplete(ar -> lingeringClose());
      return;
    }
    if (r == null) {
      refuse(408, "Request Timeout", timeoutBody(TransactionIds.next()));
    } else {
      ctx.close();
    }
  }

  private static JsonObject timeoutBody(String tid) {
    return new JsonObject().put("error", "The request was not received in time.").put("code", tid);
  }

  /**
   * Writes a whole response on the raw connection (for when no HTTP request exists) and closes it the
   * lingering way, so that a client that already sent its request still reads the answer.
   */
  void refuse(int status, String reason, JsonObject body) {
    ctx.writeAndFlush(response(status, reason, body)).addListener(f -> lingeringClose());
  }

  private static ByteBuf response(int status, String reason, JsonObject body) {
    byte[] json = body.encode().getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nConnection: close\r\n"
        + "Content-Length: " + json.length + "\r\n\r\n";
    ByteBuf out = Unpooled.buffer(head.length() + json.length);
    return out.writeBytes(head.getBytes(StandardCharsets.US_ASCII)).writeBytes(json);
  }

  /** Sends FIN, drops what still arrives, and closes once the client had time to read the answer. */
  private void lingeringClose() {
    closing = true;
    cancel();
    if (ctx.channel() instanceof DuplexChannel duplex && duplex.isActive()) {
      duplex.shutdownOutput().addListener(f -> ctx.executor().schedule(() -> ctx.close(), LINGER_MS, TimeUnit.MILLISECONDS));
    } else {
      ctx.close();
    }
  }

  private void arm(long nanos, Runnable task) {
    cancel();
    timer = ctx.executor().schedule(task, nanos, TimeUnit.NANOSECONDS);
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
