package io.edgewhisk.cli;

import io.edgewhisk.config.ApplianceConfig;
import io.edgewhisk.config.HttpsConfig;
import io.edgewhisk.tls.TlsFiles;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * {@code edgewhisk status}: asks the running server's {@code /health} (found from the same configuration as
 * {@code serve}), prints each part, and exits 0 when all are ok, 1 when degraded, 2 when down or when the
 * server cannot be reached, for scripts and monitoring.
 */
public final class StatusCommand {
  public static final int OK = 0;
  public static final int DEGRADED = 1;
  public static final int DOWN = 2;
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  public int run(ApplianceConfig config, PrintStream out, PrintStream err) {
    URI uri = healthUri(config);
    HttpResponse<String> reply;
    try {
      reply = client(config).send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException | GeneralSecurityException e) {
      err.println("edgewhisk status: cannot reach the server at " + uri + ": " + e);
      return DOWN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return DOWN;
    }
    JsonObject health;
    try {
      health = new JsonObject(reply.body());
    } catch (DecodeException | ClassCastException e) {
      err.println("edgewhisk status: " + uri + " answered " + reply.statusCode() + " without a health report");
      return DOWN;
    }
    String status = health.getString("status", "down");
    out.println("EdgeWhisk at " + uri.resolve("/") + ": " + status);
    JsonObject parts = health.getJsonObject("parts", new JsonObject());
    parts.fieldNames().stream().sorted().forEach(name -> {
      JsonObject p = parts.getJsonObject(name);
      String reason = p.getString("reason");
      out.println(String.format("  %-24s %s%s", name, p.getString("status"), reason == null ? "" : ": " + reason));
    });
    out.flush();
    return switch (status) {
      case "ok" -> OK;
      case "degraded" -> DEGRADED;
      default -> DOWN;
    };
  }

  /** Plain HTTP when it is on, else HTTPS; on loopback when the server listens on every address. */
  static URI healthUri(ApplianceConfig config) {
    String host = config.api().listenHost(config.dev());
    if (host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    } else if (host.equals("::") || host.equals("[::]")) {
      host = "[::1]";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    HttpsConfig https = config.https();
    return https.plainHttp()
        ? URI.create("http://" + host + ":" + config.api().port() + "/health")
        : URI.create("https://" + host + ":" + https.port() + "/health");
  }

  private static HttpClient client(ApplianceConfig config) throws IOException, GeneralSecurityException {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(TIMEOUT);
    HttpsConfig https = config.https();
    if (!https.plainHttp()) {
      b.sslContext(trusting(https.certificateFile()
          .orElse(config.stateDir().resolve("tls").resolve(TlsFiles.CERTIFICATE))));
    }
    return b.build();
  }

  /** Trusts exactly the server's own certificate (it may be self-signed). */
  private static SSLContext trusting(Path certificate) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      int i = 0;
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("server" + i++, c);
      }
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }
}
