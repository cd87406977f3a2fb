package io.edgewhisk.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.api.RealAppliance;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The API over HTTPS with plain HTTP turned off and the self-signed certificate made on the first start:
 * OpenWhisk's client flow with real clients, {@code curl --cacert} and the {@code openwhisk} npm client
 * (once checking the certificate, once as {@code wsk -i} does).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpsIT {
  private final InstanceContainers containers = new InstanceContainers("https-it");
  private RealAppliance appliance;
  private int plainPort;
  private String base;
  private Path cert;

  @BeforeAll
  void start() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      plainPort = s.getLocalPort();
    }
    appliance = new RealAppliance("edgewhisk.api { port = " + plainPort + ", plain-http = false, "
        + "https { enabled = true, port = 0, host-names = [\"gateway.test\"] } }, "
        + "edgewhisk.invoker { pause-grace = 2s, user-memory = 1536 }, " + containers.setting());
    base = "https://127.0.0.1:" + appliance.appliance().httpsPort();
    cert = appliance.stateDir().resolve("tls/cert.pem");
  }

  @AfterAll
  void stop() {
    if (appliance != null) {
      appliance.close();
    }
    containers.assertNoneLeft();
  }

  @Test
  void theCertificateIsMadeOnFirstStartAndPlainHttpIsOff() throws Exception {
    assertTrue(Files.isRegularFile(cert));
    assertEquals(-1, appliance.port());
    assertTrue(appliance.appliance().tls().selfSigned());
    try (Socket s = new Socket("127.0.0.1", plainPort)) {
      throw new AssertionError("plain HTTP still listens on " + plainPort);
    } catch (ConnectException expected) {
      // nothing listens there
    }
    // the fingerprint printed at start is the one openssl computes
    ProcessRun openssl = ProcessRun.of(List.of(ProcessRun.requireOnPath("openssl"), "x509", "-in", cert.toString(),
        "-noout", "-fingerprint", "-sha256"));
    assertEquals("sha256 Fingerprint=" + appliance.appliance().tls().sha256Fingerprint(), openssl.stdout().strip(), openssl::toString);
  }

  @Test
  void curlWithTheCertificateDrivesTheWskFlowAndWithoutItRefuses() throws Exception {
    ProcessRun untrusted = curl(List.of(), "GET", "/api/v1", null);
    assertEquals(60, untrusted.exitCode(), "curl must refuse an unknown self-signed certificate: " + untrusted);
    ProcessRun insecure = curl(List.of("-k"), "GET", "/ping", null); // what wsk -i does
    assertEquals(0, insecure.exitCode(), insecure::toString);
    assertTrue(insecure.stdout().startsWith("pong"), insecure::toString);

    List<String> trust = List.of("--cacert", cert.toString());
    String action = "/api/v1/namespaces/_/actions/tlshello";
    ProcessRun put = curl(trust, "PUT", action, new JsonObject().put("exec", new JsonObject().put("kind", "nodejs:default")
        .put("code", "function main(p){return {greeting: 'Hello ' + p.name}}")).encode());
    assertEquals("200", status(put), put::toString);
    ProcessRun invoke = curl(trust, "POST", action + "?blocking=true&result=true", "{\"name\":\"TLS\"}");
    assertEquals("200", status(invoke), invoke::toString);
    assertEquals(new JsonObject().put("greeting", "Hello TLS"), new JsonObject(body(invoke)));
    ProcessRun list = curl(trust, "GET", "/api/v1/namespaces/_/activations?name=tlshello", null);
    assertEquals("200", status(list), list::toString);
    assertEquals(1, new JsonArray(body(list)).size());
    // by the name the certificate was made for, too (curl checks the host name against its names)
    ProcessRun byName = curl(List.of("--cacert", cert.toString(), "--resolve",
        "gateway.test:" + appliance.appliance().httpsPort() + ":127.0.0.1"), "GET", "/api/v1", null, "https://gateway.test:"
        + appliance.appliance().httpsPort());
    assertEquals("200", status(byName), byName::toString);
    assertEquals("200", status(curl(trust, "DELETE", action, null)));
  }

  @Test
  void theOpenWhiskNpmClientWorksOverHttpsCheckedAndAsWskMinusI() throws Exception {
    String node = ProcessRun.requireOnPath("node");
    Path modules = NpmClientIT.nodeModules();
    for (Map<String, String> trust : List.of(Map.of("NODE_EXTRA_CA_CERTS", cert.toString()), Map.of("EDGEWHISK_IGNORE_CERTS", "1"))) {
      Map<String, String> env = new java.util.HashMap<>(trust);
      env.putAll(Map.of("NODE_PATH", modules.toString(), "EDGEWHISK_APIHOST", base, "EDGEWHISK_AUTH", appliance.guestKey(),
          "EDGEWHISK_PREFIX", "tls" + Long.toHexString(System.nanoTime() & 0xffffff),
          "HTTP_PROXY", "", "http_proxy", "", "HTTPS_PROXY", "", "https_proxy", ""));
      ProcessRun run = ProcessRun.of(List.of(node, NpmClientIT.resource("npm-client.js").toString()), env, 240);
      assertEquals(0, run.exitCode(), () -> trust + ": " + run);
      String[] lines = run.stdout().strip().split("\n");
      assertEquals("0.0.2", new JsonObject(lines[lines.length - 1]).getString("actionVersion"), run::toString);
    }
  }

  private ProcessRun curl(List<String> options, String method, String path, String body) throws IOException {
    return curl(options, method, path, body, base);
  }

  private ProcessRun curl(List<String> options, String method, String path, String body, String origin) throws IOException {
    List<String> command = new ArrayList<>(List.of(ProcessRun.requireOnPath("curl"), "-sS", "--noproxy", "*",
        "-u", appliance.guestKey(), "-X", method, "-w", "\n%{http_code}"));
    command.addAll(options);
    if (body != null) {
      command.addAll(List.of("-H", "Content-Type: application/json", "-d", body));
    }
    command.add(origin + path);
    return ProcessRun.of(command, Map.of(), 60);
  }

  private static String status(ProcessRun r) {
    String out = r.stdout();
    return out.substring(out.lastIndexOf('\n') + 1);
  }

  private static String body(ProcessRun r) {
    String out = r.stdout();
    return out.substring(0, out.lastIndexOf('\n'));
  }
}
