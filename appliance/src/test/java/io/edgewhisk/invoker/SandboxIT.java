package io.edgewhisk.invoker;

import static io.edgewhisk.invoker.InvokerTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.model.ActionLimits;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.Exec;
import io.edgewhisk.model.KeyValues;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an action may do to the host: write only a bounded tmpfs (never the host's disk), with no Linux
 * capability and no way to gain privileges; with capabilities added back by configuration, just those.
 */
class SandboxIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  /** Reports its capabilities, no_new_privs, and how far writes to the root, its own folder and /tmp got. */
  private static final String PROBE = """
      const fs = require('fs');
      function fill(dir, limitMb) {
        const chunk = Buffer.alloc(1024 * 1024, 120);
        let written = 0;
        try {
          const fd = fs.openSync(dir + '/fill', 'w');
          try { for (let i = 0; i < limitMb; i++) written += fs.writeSync(fd, chunk); } finally { fs.closeSync(fd); }
          return { written, error: null };
        } catch (e) {
          return { written, error: e.code || String(e) };
        } finally {
          try { fs.unlinkSync(dir + '/fill'); } catch (e) {}
        }
      }
      function main(a) {
        const status = fs.readFileSync('/proc/self/status', 'utf8');
        const field = (name) => (status.match(new RegExp('^' + name + ':\\\\s*(\\\\S+)', 'm')) || [])[1];
        return { capEff: field('CapEff'), capBnd: field('CapBnd'), noNewPrivs: field('NoNewPrivs'),
          root: fill('', 1), own: fill('/nodejsAction', 1), tmp: fill('/tmp', a.mb), varTmp: fill('/var/tmp', a.mb) };
      }
      """;

  private Vertx vertx;
  private Invoker invoker;
  private String instance;

  @BeforeAll
  static void images() throws Exception {
    PodmanTesting.requireImages(PodmanTesting.NODEJS);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (invoker != null) {
      await(invoker.close(), WAIT);
    }
    await(vertx.close(), WAIT);
    assertEquals(List.of(), PodmanTesting.containersOf(instance), "containers left behind");
    assertEquals(List.of(), PodmanTesting.networksOf(instance), "networks left behind");
  }

  private JsonObject probe(Map<String, Object> config, int mb) throws Exception {
    Activation a = run(config, PROBE, new JsonObject().put("mb", mb));
    return (JsonObject) a.response().result();
  }

  /** Starts an invoker with this configuration and runs {@code code} once in a container of its own. */
  private Activation run(Map<String, Object> config, String code, JsonObject params) throws Exception {
    vertx = InvokerTesting.strictVertx();
    instance = "sandbox-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
    Map<String, Object> c = new java.util.HashMap<>(Map.of("prewarm", false));
    c.putAll(config);
    invoker = await(PodmanInvoker.start(vertx, InvokerTesting.config(instance, c)), WAIT);
    var action = InvokerTesting.action("sandbox", new Exec.Code("nodejs:18", code, false, null, null),
        new ActionLimits(60000, 256, 10, 1), KeyValues.EMPTY, KeyValues.EMPTY);
    Activation a = await(invoker.invoke(InvokerTesting.request(action, params)), WAIT);
    assertEquals(0, a.response().statusCode(), a.toJson().encode());
    return a;
  }

  /** The Podman log driver of the instance's only container, and what `podman logs` shows of it. */
  private List<String> logDriverAndPodmanLogs() throws Exception {
    List<String> containers = PodmanTesting.containersOf(instance);
    assertEquals(1, containers.size(), "one container: " + containers);
    String id = containers.get(0);
    String driver = PodmanTesting.podman("inspect", "-f", "{{.HostConfig.LogConfig.Type}}", id);
    String logs;
    try {
      logs = PodmanTesting.podman("logs", id);
    } catch (AssertionError e) { // Podman refuses to read a container without a log file
      logs = "(" + e.getMessage() + ")";
    }
    return List.of(driver, logs);
  }

  @Test
  void anActionWritesOnlyABoundedTmpfsWithNoCapabilitiesAndNoNewPrivileges() throws Exception {
    JsonObject r = probe(Map.of("sandbox.writable-size", "16MiB"), 64);
    assertEquals("0000000000000000", r.getString("capEff"), r.encodePrettily());
    assertEquals("0000000000000000", r.getString("capBnd"), r.encodePrettily());
    assertEquals("1", r.getString("noNewPrivs"), r.encodePrettily());
    assertEquals("EROFS", r.getJsonObject("root").getString("error"), "the root file system is read-only: " + r.encodePrettily());
    assertEquals("EROFS", r.getJsonObject("own").getString("error"), r.encodePrettily());
    for (String dir : List.of("tmp", "varTmp")) {
      JsonObject fill = r.getJsonObject(dir);
      assertEquals("ENOSPC", fill.getString("error"), dir + " is bounded: " + r.encodePrettily());
      long written = fill.getLong("written");
      assertTrue(written >= 8L << 20 && written <= 16L << 20, dir + " took " + written + " bytes of a 16 MiB bound");
    }
  }

  @Test
  void capabilitiesAndTheRootFileSystemFollowTheConfiguration() throws Exception {
    JsonObject r = probe(Map.of("sandbox.capabilities", List.of("CHOWN", "CAP_KILL"), "sandbox.read-only-root", false,
        "sandbox.no-new-privileges", false), 1);
    // CHOWN is bit 0, KILL bit 5
    assertEquals("0000000000000021", r.getString("capEff"), r.encodePrettily());
    assertEquals("0", r.getString("noNewPrivs"), r.encodePrettily());
    assertEquals(null, r.getJsonObject("own").getString("error"), "a writable root when asked for: " + r.encodePrettily());
  }

  private static final String LOGGER = "function main() { console.log('a line for the activation'); return { ok: true }; }";

  @Test
  void byDefaultAContainerHasNoLogFileAndItsActivationLogsStillCome() throws Exception {
    Activation a = run(Map.of(), LOGGER, new JsonObject());
    assertEquals(1, a.logs().size(), a.toJson().encode());
    assertTrue(a.logs().get(0).endsWith("stdout: a line for the activation"), a.logs().toString());
    List<String> driverAndLogs = logDriverAndPodmanLogs();
    assertEquals("none", driverAndLogs.get(0), "no log file in Podman's storage");
    assertTrue(!driverAndLogs.get(1).contains("a line for the activation"), "nothing written twice: " + driverAndLogs);
  }

  @Test
  void aLogFileSizeGivesTheContainerALogFileForPodmanLogs() throws Exception {
    // without the log pipes, which the runtime images' output takes past Podman (LogPipesIT)
    Activation a = run(Map.of("sandbox.log-file-size", "64KiB", "log-pipes", false), LOGGER, new JsonObject());
    assertTrue(a.logs().get(0).endsWith("stdout: a line for the activation"), a.logs().toString());
    List<String> driverAndLogs = logDriverAndPodmanLogs();
    assertEquals("json-file", driverAndLogs.get(0), "a log file in Podman's storage");
    assertTrue(driverAndLogs.get(1).contains("a line for the activation"), "podman logs shows the line: " + driverAndLogs);
  }
}
