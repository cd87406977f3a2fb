package io.edgewhisk.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.edgewhisk.api.RealAppliance;
import io.edgewhisk.cli.StatusCommand;
import io.edgewhisk.config.ApplianceConfig;
import java.io.PrintStream;
import java.util.Map;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code /health} of a real appliance on real Podman, reached through a socket of the test's own: when that
 * socket goes away Podman turns down (503) and the rest stays ok; when it is back Podman is ok again (200).
 */
class HealthIT {
  private static final Path PODMAN = Path.of("/run/podman/podman.sock");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void podmanTurnsDownWhenItsSocketGoesAndComesBack() throws Exception {
    assertTrue(Files.exists(PODMAN), "this test needs Podman's socket at " + PODMAN);
    Path dir = Files.createTempDirectory("edgewhisk-health-it");
    Path socket = dir.resolve("podman.sock");
    try (UnixSocketForwarder forwarder = new UnixSocketForwarder(socket, PODMAN)) {
      forwarder.start();
      try (RealAppliance appliance = new RealAppliance("edgewhisk.invoker { podman-socket = \"" + socket
          + "\", start-podman-service = false }")) {
        HttpResponse<String> ok = health(appliance.port());
        assertEquals(200, ok.statusCode(), ok::body);
        JsonObject body = new JsonObject(ok.body());
        assertEquals("ok", body.getString("status"));
        for (String part : new String[] {"podman", "disk", "sqlite", "log"}) {
          assertEquals("ok", body.getJsonObject("parts").getJsonObject(part).getString("status"), part);
        }
        assertFalse(ok.body().contains(appliance.guestKey().split(":")[1]), "no secrets in /health");
        assertEquals(StatusCommand.OK, status(appliance));

        forwarder.stop();
        HttpResponse<String> down = health(appliance.port());
        assertEquals(503, down.statusCode(), down::body);
        JsonObject parts = new JsonObject(down.body()).getJsonObject("parts");
        assertEquals("down", parts.getJsonObject("podman").getString("status"), down::body);
        assertTrue(parts.getJsonObject("podman").getString("reason").contains(socket.toString()), down::body);
        assertEquals("ok", parts.getJsonObject("sqlite").getString("status"));
        assertEquals(StatusCommand.DOWN, status(appliance));

        forwarder.start();
        HttpResponse<String> back = health(appliance.port());
        assertEquals(200, back.statusCode(), back::body);
        assertEquals("ok", new JsonObject(back.body()).getJsonObject("parts").getJsonObject("podman").getString("status"));
        assertEquals(StatusCommand.OK, status(appliance));
      }
    } finally {
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void diskTurnsDegradedBelowTheThreshold() throws Exception {
    // twice the free space of the file system the state directory is made on: it is "low" now, yet far above
    // an eighth of the threshold (down)
    long free = Files.getFileStore(Path.of(System.getProperty("java.io.tmpdir"))).getUsableSpace();
    try (RealAppliance appliance = new RealAppliance("edgewhisk.health.disk-degraded-below = " + 2 * free)) {
      HttpResponse<String> r = health(appliance.port());
      assertEquals(503, r.statusCode(), r::body);
      JsonObject body = new JsonObject(r.body());
      assertEquals("degraded", body.getJsonObject("parts").getJsonObject("disk").getString("status"), r::body);
      assertTrue(body.getJsonObject("parts").getJsonObject("disk").getString("reason")
          .contains(appliance.stateDir().toString()), r::body);
    }
  }

  /** {@code edgewhisk status} with the appliance's configuration and the port it took. */
  private static int status(RealAppliance appliance) {
    ApplianceConfig config = ApplianceConfig.from(ConfigFactory.parseMap(Map.of("edgewhisk.api.port", appliance.port()))
        .withFallback(appliance.appliance().config().raw()));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    return new StatusCommand().run(config, new PrintStream(out), System.err);
  }

  private HttpResponse<String> health(int port) throws Exception {
    // no Authorization header: /health is for monitors that hold no key
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
        .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
