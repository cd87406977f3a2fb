package io.edgewhisk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code edgewhisk status} against a fake {@code /health}: what it prints and its exit status. */
class StatusCommandTest {
  private final Vertx vertx = Vertx.vertx();
  private final AtomicReference<String> body = new AtomicReference<>();
  private final AtomicReference<Integer> code = new AtomicReference<>(200);
  private HttpServer server;
  private Path stateDir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void start() throws Exception {
    stateDir = Files.createTempDirectory("edgewhisk-status");
    server = vertx.createHttpServer().requestHandler(req -> {
      if (!req.path().equals("/health") || req.getHeader("Authorization") != null) {
        req.response().setStatusCode(404).end();
        return;
      }
      req.response().setStatusCode(code.get()).end(body.get());
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    Files.deleteIfExists(stateDir);
  }

  private int status(int port) {
    out.reset();
    err.reset();
    return Main.run(new String[] {"status", "--state-dir", stateDir.toString(), "--port", Integer.toString(port)},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void okIsZeroAndEveryPartIsPrinted() {
    body.set("{\"status\":\"ok\",\"parts\":{\"podman\":{\"status\":\"ok\"},\"sqlite\":{\"status\":\"ok\"}}}");
    assertEquals(0, status(server.actualPort()), err::toString);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains(": ok"), printed);
    assertTrue(printed.matches("(?s).*podman +ok.*sqlite +ok.*"), printed);
  }

  @Test
  void degradedIsOneWithTheReason() {
    code.set(503);
    body.set("{\"status\":\"degraded\",\"parts\":{\"disk\":{\"status\":\"degraded\",\"reason\":\"only 5 bytes free\"},"
        + "\"podman\":{\"status\":\"ok\"}}}");
    assertEquals(1, status(server.actualPort()));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("disk") && out.toString(StandardCharsets.UTF_8)
        .contains("degraded: only 5 bytes free"), out::toString);
  }

  @Test
  void downIsTwo() {
    code.set(503);
    body.set("{\"status\":\"down\",\"parts\":{\"podman\":{\"status\":\"down\",\"reason\":\"Podman does not answer\"}}}");
    assertEquals(2, status(server.actualPort()));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("down: Podman does not answer"), out::toString);
  }

  @Test
  void aServerThatCannotBeReachedIsTwo() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    assertEquals(2, status(closed));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot reach the server at http://127.0.0.1:" + closed),
        err::toString);
  }

  @Test
  void anAnswerThatIsNoHealthReportIsTwo() {
    code.set(502);
    body.set("<html>bad gateway</html>");
    assertEquals(2, status(server.actualPort()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("without a health report"), err::toString);
  }

  @Test
  void withPlainHttpOffItAsksOverHttpsTrustingTheServersOwnCertificate() throws Exception {
    io.edgewhisk.spi.TlsMaterial tls = io.edgewhisk.tls.TlsFiles.selfSigned(stateDir.resolve("tls"), java.util.List.of());
    HttpServer secure = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setSsl(true)
        .setKeyCertOptions(tls.keyCertOptions())).requestHandler(req -> req.response()
        .end("{\"status\":\"ok\",\"parts\":{}}")).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    Path conf = stateDir.resolve("edgewhisk.conf");
    Files.writeString(conf, "edgewhisk.api { plain-http = false, https { enabled = true, port = " + secure.actualPort()
        + " } }");
    int exit = Main.run(new String[] {"status", "--config", conf.toString(), "--state-dir", stateDir.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, exit, err::toString);
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("https://127.0.0.1:" + secure.actualPort()), out::toString);
    // a certificate that is not the server's is refused: 2, not a silent pass
    Files.delete(stateDir.resolve("tls").resolve("cert.pem"));
    Files.delete(stateDir.resolve("tls").resolve("key.pem"));
    io.edgewhisk.tls.TlsFiles.selfSigned(stateDir.resolve("tls"), java.util.List.of());
    assertEquals(2, Main.run(new String[] {"status", "--config", conf.toString(), "--state-dir", stateDir.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
    try (var files = Files.walk(stateDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(stateDir)).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void aBadFlagIsUsage() {
    assertEquals(2, Main.run(new String[] {"status", "--port", "x"}, new PrintStream(out), new PrintStream(err)));
  }
}
