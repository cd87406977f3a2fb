package io.edgewhisk.mqtt.bridge.paho;

import io.edgewhisk.mqtt.bridge.BridgeLink;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Objects;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Eclipse Paho behind {@link BridgeLink}: this package is the only code that touches Paho. A new Paho client is
 * made for each connection attempt, with in-memory persistence, no offline buffer and no automatic reconnect:
 * the bridge's outbox keeps what must survive, and the bridge decides when to reconnect. Paho calls back on its
 * own threads; every answer hops onto the bridge's context. Creating, connecting and closing a client run on a
 * worker thread (they may block briefly).
 */
public final class PahoLinks implements BridgeLink.Factory {
  private final Context context;

  public PahoLinks(Context context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  @Override
  public Future<BridgeLink> connect(BridgeLink.LinkSettings settings, BridgeLink.Listener listener) {
    Promise<BridgeLink> connected = Promise.promise();
    context.<Void>executeBlocking(() -> {
      SocketFactory sockets = settings.config().tls() ? tls(settings.config()) : null;
      if (settings.config().mqtt5()) {
        PahoV5Link.open(context, settings, sockets, listener, connected);
      } else {
        PahoV3Link.open(context, settings, sockets, listener, connected);
      }
      return null;
    }).onFailure(e -> connected.tryFail(e));
    return connected.future();
  }

  /** A TLS socket factory trusting the configured CA file, or the JVM's default trust store. */
  private static SocketFactory tls(io.edgewhisk.mqtt.config.BridgeConfig config) throws Exception {
    if (config.tlsCaFile() == null) {
      return SSLContext.getDefault().getSocketFactory();
    }
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(config.tlsCaFile())) {
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + i++, c);
      }
      if (i == 0) {
        throw new IllegalArgumentException("no certificate in " + config.tlsCaFile());
      }
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl.getSocketFactory();
  }

  /** Runs {@code work} on a worker thread, ignoring its failure (closing a client that is already broken). */
  static Future<Void> quietly(Context context, Blocking work) {
    return context.<Void>executeBlocking(() -> {
      try {
        work.run();
      } catch (Exception ignored) {
        // the client is being thrown away; a failure to close it cleanly changes nothing
      }
      return null;
    }, false);
  }

  interface Blocking {
    void run() throws Exception;
  }
}
