package io.edgewhisk.invoker;

import static io.edgewhisk.invoker.InvokerTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.model.Activation;
import io.edgewhisk.model.Exec;
import io.edgewhisk.model.ActionLimits;
import io.edgewhisk.model.KeyValues;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Activation logs through the log pipes (invoker.log-pipes) on real Podman: everything an action writes, its
 * child processes' output included, reaches its activation without passing through Podman, whose own log file
 * (sandbox.log-file-size) shows what did pass.
 */
class LogPipesIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String NODE = "function main(a) { console.log('out ' + a.n); console.error('err ' + a.n);"
      + " require('child_process').execSync('echo child ' + a.n + '; echo child-err ' + a.n + ' >&2', {stdio: 'inherit'});"
      + " return {n: a.n}; }";
  private static final String PYTHON = "import sys, subprocess\n"
      + "def main(a):\n"
      + "    print('out %d' % a['n'])\n"
      + "    print('err %d' % a['n'], file=sys.stderr)\n"
      + "    subprocess.run(['sh', '-c', 'echo child %d; echo child-err %d >&2' % (a['n'], a['n'])])\n"
      + "    return {'n': a['n']}\n";

  private Vertx vertx;
  private PodmanInvoker invoker;
  private InvokerTesting.BlockedThreads blocked;
  private final String instance = "pipes-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;

  @BeforeAll
  static void images() throws Exception {
    PodmanTesting.requireImages(PodmanTesting.NODEJS, PodmanTesting.PYTHON);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (invoker != null) {
      await(invoker.close(), WAIT);
    }
    if (vertx != null) {
      await(vertx.close(), WAIT);
    }
    assertEquals(List.of(), PodmanTesting.containersOf(instance), "containers left behind");
    assertFalse(Files.exists(pipesOf(instance)), "log pipes left behind");
    assertEquals(List.of(), OpenFiles.under(pipesOf(instance)), "log pipes left open");
    if (blocked != null) {
      assertEquals(0, blocked.eventLoopWarnings(), "an event loop was blocked");
      blocked.close();
    }
  }

  private void start(boolean pipes) throws Exception {
    vertx = InvokerTesting.strictVertx();
    invoker = (PodmanInvoker) await(PodmanInvoker.start(vertx, InvokerTesting.config(instance,
        Map.of("prewarm", false, "log-pipes", pipes, "sandbox.log-file-size", "1MiB"))), WAIT);
    assertTrue(invoker.isReady(), invoker.problem());
    blocked = new InvokerTesting.BlockedThreads();
  }

  private static Path pipesOf(String instance) {
    return InvokerTesting.STATE_DIR.resolve("log-pipes").resolve(instance);
  }

  private Activation invoke(io.edgewhisk.model.Action action, int n) throws Exception {
    return await(invoker.invoke(InvokerTesting.request(action, new JsonObject().put("n", n))), WAIT);
  }

  /** The action's one container. */
  private ContainerProxy theContainer() throws Exception {
    List<ContainerProxy> all = await(Future.<List<ContainerProxy>>future(p -> invoker.pool().context().runOnContext(v ->
        p.complete(invoker.pool().containers()))), WAIT);
    assertEquals(1, all.size());
    return all.get(0);
  }

  /** What Podman's own log file of the action's one container holds. */
  private String podmanLogs() throws Exception {
    return PodmanTesting.podman("logs", theContainer().containerId());
  }

  private static void assertLogs(Activation a, int n) {
    assertEquals(0, a.response().statusCode(), a.toJson().encode());
    List<String> logs = a.logs();
    for (String line : List.of("stdout: out " + n, "stderr: err " + n, "stdout: child " + n, "stderr: child-err " + n)) {
      assertEquals(1, logs.stream().filter(l -> l.endsWith(line)).count(), line + " in " + logs);
    }
    assertEquals(4, logs.size(), logs.toString());
  }

  @Test
  void nodejsLogsComeThroughThePipesNotPodman() throws Exception {
    start(true);
    var action = InvokerTesting.nodejs("piped", NODE);
    for (int n = 1; n <= 3; n++) {
      assertLogs(invoke(action, n), n);
    }
    String name = theContainer().name();
    assertTrue(Files.exists(pipesOf(instance).resolve(name).resolve("stdout")), "the container's pipes are in the state dir");
    String passed = podmanLogs();
    assertFalse(passed.contains("out 1") || passed.contains("child 1") || passed.contains("XXX_THE_END"),
        "nothing went through Podman: " + passed);
  }

  @Test
  void anActionCannotWriteAFileNextToItsPipes() throws Exception {
    start(true);
    var action = InvokerTesting.nodejs("writer", "function main() { const fs = require('fs');"
        + " try { fs.writeFileSync('/run/edgewhisk/fill', 'x'); return {wrote: true}; } catch (e) { return {code: e.code}; } }");
    Activation a = invoke(action, 1);
    assertEquals("EROFS", ((JsonObject) a.response().result()).getString("code"), a.toJson().encode());
  }

  @Test
  void pythonLogsComeThroughThePipes() throws Exception {
    start(true);
    var action = InvokerTesting.action("piped-py", new Exec.Code("python:3.11", PYTHON, false, null, null),
        ActionLimits.DEFAULT, KeyValues.EMPTY, KeyValues.EMPTY);
    for (int n = 1; n <= 2; n++) {
      assertLogs(invoke(action, n), n);
    }
    assertFalse(podmanLogs().contains("out 1"), "nothing went through Podman");
  }

  @Test
  void withoutPipesLogsComeThroughPodman() throws Exception {
    start(false);
    var action = InvokerTesting.nodejs("attached", NODE);
    for (int n = 1; n <= 2; n++) {
      assertLogs(invoke(action, n), n);
    }
    assertTrue(podmanLogs().contains("child 2"), "the output went through Podman");
    assertFalse(Files.exists(pipesOf(instance)), "no pipes were made");
  }

  @Test
  void aContainerThatExitsIsSeenToEndAndItsLastLinesKept() throws Exception {
    start(true);
    var action = InvokerTesting.nodejs("exits",
        "function main(a) { console.log('bye ' + a.n); setTimeout(() => process.exit(3), 50); return {n: a.n}; }");
    Activation a = invoke(action, 1);
    assertEquals(0, a.response().statusCode(), a.toJson().encode());
    assertTrue(a.logs().stream().anyMatch(l -> l.endsWith("stdout: bye 1")), a.logs().toString());
    // the container's end comes from Podman while its pipes are followed: the pool lets it go
    long until = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < until && !PodmanTesting.containersOf(instance).isEmpty()) {
      Thread.sleep(100);
    }
    assertEquals(List.of(), PodmanTesting.containersOf(instance), "the ended container was removed");
    Activation b = invoke(action, 2);
    assertTrue(b.logs().stream().anyMatch(l -> l.endsWith("stdout: bye 2")), b.logs().toString());
  }
}
