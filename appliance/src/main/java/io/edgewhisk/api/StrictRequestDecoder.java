package io.edgewhisk.api;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.util.List;

/**
 * Vert.x's HTTP/1.x request decoder, except that a request with both {@code Content-Length} and
 * {@code Transfer-Encoding} is invalid (answered 400) and nothing after it on the connection is read:
 * RFC 9112 §6.1 allows processing it as chunked only if the connection is closed afterwards, and
 * reading on would let bytes after the body be served as a second, smuggled request.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {
  static final String NAME = "httpDecoder";
  static final String BOTH_LENGTHS = "Content-Length and Transfer-Encoding";
  private boolean poisoned;

  StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    super.handleTransferEncodingChunkedWithContentLength(message);
    poisoned = true;
    message.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(BOTH_LENGTHS + " must not both be given")));
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
    if (poisoned) {
      buffer.skipBytes(buffer.readableBytes());
      return;
    }
    super.decode(ctx, buffer, out);
  }
}
