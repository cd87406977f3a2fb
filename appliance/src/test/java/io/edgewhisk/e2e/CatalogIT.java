package io.edgewhisk.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.api.RealAppliance;
import io.edgewhisk.api.WhiskClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The built-in /whisk.system catalog as users see it: shared utils, sequences of them, alarm feeds. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogIT {
  private static final String NS = "/api/v1/namespaces/";
  private RealAppliance appliance;
  private WhiskClient wsk;

  @BeforeAll
  void start() throws Exception {
    appliance = new RealAppliance();
    wsk = new WhiskClient(appliance.port(), appliance.guestKey());
  }

  @AfterAll
  void stop() {
    if (appliance != null) {
      appliance.close();
    }
  }

  @Test
  void theCatalogIsSharedAndReadOnly() {
    JsonArray packages = wsk.get(NS + "whisk.system/packages").array();
    assertTrue(packages.stream().anyMatch(p -> ((JsonObject) p).getString("name").equals("utils")), packages::encode);
    assertTrue(packages.stream().anyMatch(p -> ((JsonObject) p).getString("name").equals("alarms")), packages::encode);
    JsonObject alarms = wsk.get(NS + "whisk.system/packages/alarms").json();
    assertEquals(3, alarms.getJsonArray("feeds").size(), alarms::encode);
    assertEquals(403, wsk.put(NS + "whisk.system/actions/utils/echo?overwrite=true", new JsonObject()).status());
    assertEquals(403, wsk.delete(NS + "whisk.system/packages/utils").status());
  }

  @Test
  void sequencesOfTheUtils() {
    WhiskClient.Reply echo = wsk.post(NS + "whisk.system/actions/utils/echo?blocking=true&result=true",
        new JsonObject().put("hello", "edge"));
    assertEquals(new JsonObject().put("hello", "edge"), echo.json(), echo::toString);
    WhiskClient.Reply seq = wsk.put(NS + "_/actions/lines?overwrite=true", new JsonObject().put("exec", new JsonObject()
        .put("kind", "sequence").put("components", new JsonArray()
            .add("/whisk.system/utils/echo").add("/whisk.system/utils/split").add("/whisk.system/utils/sort"))));
    assertEquals(200, seq.status(), seq::toString);
    WhiskClient.Reply sorted = wsk.post(NS + "_/actions/lines?blocking=true&result=true",
        new JsonObject().put("payload", "pear\napple\nfig"));
    assertEquals(200, sorted.status(), sorted::toString);
    assertEquals(new JsonArray().add("apple").add("fig").add("pear"), sorted.json().getJsonArray("lines"));
    assertEquals(3, sorted.json().getInteger("length"));
  }

  @Test
  void anAlarmFeedCreatedThroughTheNpmClientFiresEverySecond() throws Exception {
    String modules = System.getenv("EDGEWHISK_TEST_NODE_MODULES");
    if (modules == null) {
      modules = System.getProperty("user.home") + "/.cache/edgewhisk-test/node_modules";
    }
    assertTrue(new File(modules, "openwhisk/package.json").isFile(),
        "the openwhisk npm client is missing from " + modules + " (packaging/test-all.sh installs it)");
    Path script = Path.of(getClass().getResource("/e2e/alarm-feed.js").toURI());
    ProcessBuilder pb = new ProcessBuilder("node", script.toString()).redirectErrorStream(true);
    pb.environment().put("NODE_PATH", modules);
    pb.environment().put("APIHOST", "http://127.0.0.1:" + appliance.port());
    pb.environment().put("KEY", appliance.guestKey());
    Process node = pb.start();
    try {
      assertTrue(node.waitFor(60, TimeUnit.SECONDS), "the client script did not finish");
      String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, node.exitValue(), out);
      JsonObject summary = new JsonObject(out.strip().lines().reduce((a, b) -> b).orElseThrow());
      assertTrue(summary.getInteger("ticks") >= 2, out);
    } finally {
      node.destroyForcibly();
    }
  }
}
