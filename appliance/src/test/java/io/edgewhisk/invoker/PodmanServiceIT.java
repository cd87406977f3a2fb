package io.edgewhisk.invoker;

import static io.edgewhisk.invoker.InvokerTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.model.Activation;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without Podman's socket, the invoker starts `podman system service` on it, uses it, and stops it on close. */
class PodmanServiceIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void startsAndStopsItsOwnPodmanService() throws Exception {
    PodmanTesting.requireImages(PodmanTesting.NODEJS);
    Path dir = Files.createTempDirectory("ew-podman");
    Path socket = dir.resolve("podman.sock");
    String instance = "svc-" + ProcessHandle.current().pid();
    Vertx vertx = InvokerTesting.strictVertx();
    try {
      PodmanInvoker invoker = (PodmanInvoker) await(PodmanInvoker.start(vertx, InvokerTesting.config(instance,
          Map.of("podman-socket", socket.toString(), "start-podman-service", true, "prewarm", false))), WAIT);
      try {
        assertTrue(invoker.isReady(), invoker.problem());
        assertEquals(1, serviceProcesses(socket).size(), "one podman service on our socket");
        Activation a = await(invoker.invoke(InvokerTesting.request(
            InvokerTesting.nodejs("svc", "function main() { return {via: 'own service'}; }"), new JsonObject())), WAIT);
        assertEquals("own service", ((JsonObject) a.response().result()).getString("via"));
      } finally {
        await(invoker.close(), WAIT);
      }
      assertEquals(List.of(), PodmanTesting.containersOf(instance));
      assertEquals(List.of(), serviceProcesses(socket), "the service was stopped");
    } finally {
      await(vertx.close(), WAIT);
      serviceProcesses(socket).forEach(ProcessHandle::destroyForcibly);
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static List<ProcessHandle> serviceProcesses(Path socket) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(socket.toString())).orElse(false))
        .filter(ProcessHandle::isAlive)
        .toList();
  }
}
