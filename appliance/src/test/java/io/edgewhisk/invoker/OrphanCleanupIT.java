package io.edgewhisk.invoker;

import static io.edgewhisk.invoker.InvokerTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Containers of a JVM killed with SIGKILL are removed by the next invoker of the same instance, and only those. */
class OrphanCleanupIT {
  private Process child;
  private final String instance = "orphan-" + ProcessHandle.current().pid();
  private final String bystander = "bystander-" + ProcessHandle.current().pid();

  @AfterEach
  void tearDown() throws Exception {
    if (child != null && child.isAlive()) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    for (String i : List.of(instance, bystander)) {
      for (String id : PodmanTesting.containersOf(i)) {
        PodmanTesting.podman("rm", "-f", id);
      }
      for (String network : PodmanTesting.networksOf(i)) {
        PodmanTesting.podman("network", "rm", network);
      }
    }
  }

  @Test
  void aNewInvokerRemovesWhatAKilledOneLeft() throws Exception {
    PodmanTesting.requireImages(PodmanTesting.NODEJS);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // the killed child cannot clean up after itself: its Vert.x cache folder goes where the build's does
    String cacheDir = "-Dvertx.cacheDirBase=" + System.getProperty("vertx.cacheDirBase", System.getProperty("java.io.tmpdir"));
    String stateDir = "-D" + InvokerTesting.STATE_DIR_PROPERTY + "=" + InvokerTesting.STATE_DIR;
    child = new ProcessBuilder(java, cacheDir, stateDir, "-cp", System.getProperty("java.class.path"), OrphanMaker.class.getName(), instance)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    do {
      line = out.readLine();
    } while (line != null && !line.startsWith("READY"));
    assertEquals("READY 0", line, "the child JVM ran its action");
    List<String> left = PodmanTesting.containersOf(instance);
    assertFalse(left.isEmpty());

    child.destroyForcibly(); // SIGKILL: no shutdown hook, no clean-up
    assertTrue(child.waitFor(10, TimeUnit.SECONDS));
    assertEquals(left, PodmanTesting.containersOf(instance), "the killed JVM left its containers");
    assertEquals(left.size(), PodmanTesting.networksOf(instance).size(), "and a network for each");
    Path pipes = InvokerTesting.STATE_DIR.resolve("log-pipes").resolve(instance);
    try (var made = Files.list(pipes)) {
      assertEquals(left.size(), made.count(), "and their log pipes");
    }

    // another appliance's container on the same host must survive
    PodmanTesting.podman("create", "--label", "edgewhisk.managed=true", "--label", "edgewhisk.instance=" + bystander,
        PodmanTesting.NODEJS);

    Vertx vertx = InvokerTesting.strictVertx();
    try {
      Invoker next = await(PodmanInvoker.start(vertx, InvokerTesting.config(instance, Map.of("prewarm", false))),
          Duration.ofSeconds(60));
      assertEquals(List.of(), PodmanTesting.containersOf(instance), "removed at start-up");
      assertEquals(List.of(), PodmanTesting.networksOf(instance), "their networks too");
      try (var stillThere = Files.list(pipes)) {
        assertEquals(List.of(), stillThere.toList(), "their log pipes too");
      }
      assertEquals(1, PodmanTesting.containersOf(bystander).size(), "another instance's container is left alone");
      await(next.close(), Duration.ofSeconds(60));
    } finally {
      await(vertx.close(), Duration.ofSeconds(30));
    }
  }
}
