package io.edgewhisk.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.api.RealAppliance;
import io.edgewhisk.api.WhiskClient;
import io.vertx.core.json.JsonObject;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OpenWhisk's own JavaScript client (the {@code openwhisk} npm package) against the real appliance:
 * the compatibility promise, checked with the client users have. The script
 * ({@code e2e/npm-client.js}) asserts each step itself and prints what it saw; this side checks the
 * script's facts against the API again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NpmClientIT {
  private final InstanceContainers containers = new InstanceContainers("npm-it");
  private RealAppliance appliance;

  @BeforeAll
  void start() throws Exception {
    appliance = new RealAppliance("edgewhisk.invoker { pause-grace = 2s, user-memory = 1536 }, " + containers.setting());
  }

  @AfterAll
  void stop() {
    if (appliance != null) {
      appliance.close();
    }
    containers.assertNoneLeft();
  }

  /** Where test-all.sh installed the client: EDGEWHISK_TEST_NODE_MODULES, else its default cache. */
  static Path nodeModules() {
    String configured = System.getenv("EDGEWHISK_TEST_NODE_MODULES");
    Path dir;
    if (configured != null && !configured.isBlank()) {
      dir = Path.of(configured);
    } else {
      String cache = System.getenv("XDG_CACHE_HOME");
      dir = (cache == null || cache.isBlank() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(cache))
          .resolve("edgewhisk-test/node_modules");
    }
    if (!Files.isRegularFile(dir.resolve("openwhisk/package.json"))) {
      throw new AssertionError("the openwhisk npm client is not installed in " + dir
          + " (packaging/test-all.sh installs it; or set EDGEWHISK_TEST_NODE_MODULES)");
    }
    return dir;
  }

  static Path resource(String name) throws URISyntaxException {
    var url = NpmClientIT.class.getResource("/e2e/" + name);
    if (url == null) {
      throw new AssertionError("test resource e2e/" + name + " is missing");
    }
    return Path.of(url.toURI());
  }

  @Test
  void theOpenWhiskNpmClientDrivesEveryResource() throws Exception {
    String node = ProcessRun.requireOnPath("node");
    Path modules = nodeModules();
    long started = System.nanoTime();
    ProcessRun run = ProcessRun.of(List.of(node, resource("npm-client.js").toString()), Map.of(
        "NODE_PATH", modules.toString(),
        "EDGEWHISK_APIHOST", "http://127.0.0.1:" + appliance.port(),
        "EDGEWHISK_AUTH", appliance.guestKey(),
        "EDGEWHISK_PREFIX", "npm" + Long.toHexString(System.nanoTime() & 0xffffff),
        // the client honours proxy variables; this traffic is for 127.0.0.1 only
        "HTTP_PROXY", "", "http_proxy", "", "HTTPS_PROXY", "", "https_proxy", "", "PROXY", "", "proxy", ""), 240);
    System.out.printf("npm client script: %d ms%n", (System.nanoTime() - started) / 1_000_000);
    assertEquals(0, run.exitCode(), run::toString);

    String[] lines = run.stdout().strip().split("\n");
    JsonObject facts = new JsonObject(lines[lines.length - 1]);
    assertEquals("0.0.2", facts.getString("actionVersion"));
    assertEquals(3, facts.getInteger("activationsOfAction"));
    assertEquals(new JsonObject().put("who", "binding").put("shade", "updated").put("extra", 1), facts.getJsonObject("throughBinding"));
    assertEquals(new JsonObject().put("seen", 21).put("by", "updated trigger"), facts.getJsonObject("ruleResult"));

    // the activations the client saw are the ones the API keeps
    WhiskClient wsk = new WhiskClient(appliance.port(), appliance.guestKey());
    String blockingId = facts.getString("blockingActivationId");
    String nonBlockingId = facts.getString("nonBlockingActivationId");
    assertNotEquals(blockingId, nonBlockingId);
    for (String id : List.of(blockingId, nonBlockingId)) {
      WhiskClient.Reply r = wsk.get("/api/v1/namespaces/_/activations/" + id);
      assertEquals(200, r.status(), r::toString);
      assertEquals(id, r.json().getString("activationId"));
      assertTrue(r.json().getJsonObject("response").getBoolean("success"), r::toString);
    }
    // the script deleted everything it made
    assertEquals(0, wsk.get("/api/v1/namespaces/_/actions?count=true").json().getInteger("actions"));
    assertEquals(0, wsk.get("/api/v1/namespaces/_/packages?count=true").json().getInteger("packages"));
    assertEquals(0, wsk.get("/api/v1/namespaces/_/triggers?count=true").json().getInteger("triggers"));
    assertEquals(0, wsk.get("/api/v1/namespaces/_/rules?count=true").json().getInteger("rules"));
  }
}
