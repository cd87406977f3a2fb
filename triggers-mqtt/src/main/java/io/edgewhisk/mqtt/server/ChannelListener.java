package io.edgewhisk.mqtt.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * The plain TCP listener as a bare Netty server on Vert.x's acceptor and on the broker's own event loop, its
 * connections' handlers run on the broker's context, as with a Vert.x {@code NetServer}. Without the Vert.x
 * socket around each connection: that socket's outbound message queue alone (made with every connection, a
 * 1,024-slot array, never used since the broker writes to the channel) cost 4.7 KB of heap per idle connection.
 */
final class ChannelListener {
  private final VertxInternal vertx;
  private final ContextInternal context;
  private Channel server;

  /** Listens from the broker's context: its event loop serves every connection. */
  ChannelListener(Vertx vertx) {
    this.vertx = (VertxInternal) vertx;
    this.context = (ContextInternal) vertx.getOrCreateContext();
  }

  /**
   * Starts listening; answers the bound port. {@code accepted} gets each new connection's source of packets, on
   * the broker's context, once the channel is registered and before it reads anything.
   */
  Future<Integer> listen(String host, int port, Consumer<ChannelPacketSource> accepted) {
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(vertx.acceptorEventLoopGroup(), context.nettyEventLoop())
        .channelFactory(vertx.transport().serverChannelFactory(false))
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel channel) {
            ChannelPacketSource source = new ChannelPacketSource(context);
            channel.pipeline().addLast(ChannelPacketSource.NAME, source);
            context.dispatch(source, accepted::accept);
          }
        });
    Promise<Integer> bound = context.promise();
    ChannelFuture binding = bootstrap.bind(new InetSocketAddress(host, port));
    binding.addListener(f -> {
      if (f.isSuccess()) {
        server = binding.channel();
        bound.complete(((InetSocketAddress) server.localAddress()).getPort());
      } else {
        bound.fail(f.cause());
      }
    });
    return bound.future();
  }

  /** Stops accepting; open connections are the broker's to close. */
  Future<Void> close() {
    if (server == null) {
      return Future.succeededFuture();
    }
    Promise<Void> closed = context.promise();
    server.close().addListener(f -> closed.complete());
    return closed.future();
  }
}
