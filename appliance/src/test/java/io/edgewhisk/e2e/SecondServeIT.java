package io.edgewhisk.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.edgewhisk.api.WhiskClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A second {@code edgewhisk serve} on a state directory in use exits at once with one sentence and changes
 * nothing: the running appliance keeps its containers (a second server used to remove them as orphans) and
 * keeps answering.
 */
class SecondServeIT {
  private static final String NS = "/api/v1/namespaces/_/";
  private final InstanceContainers containers = new InstanceContainers("second-serve-it");
  private Path work;
  private ChildAppliance first;

  @AfterEach
  void cleanUp() throws Exception {
    List<String> problems = new ArrayList<>();
    try {
      if (first != null && first.isAlive() && first.stop() != 0) {
        problems.add("the first appliance did not stop cleanly:\n" + first.output());
      }
    } finally {
      problems.addAll(containers.removeLeftovers());
      if (work != null) {
        try (Stream<Path> files = Files.walk(work)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
  }

  @Test
  void aSecondServerOnADirectoryInUseChangesNothing() throws Exception {
    work = Files.createTempDirectory("edgewhisk-second-serve-it");
    Path stateDir = work.resolve("state");
    List<String> settings = List.of("-Dedgewhisk.invoker.instance-id=" + containers.instanceId(),
        "-Dedgewhisk.invoker.prewarm=false");
    first = ChildAppliance.start(stateDir, settings, work.resolve("first.out"));
    WhiskClient wsk = new WhiskClient(first.port(), Files.readString(stateDir.resolve("guest.key")).strip());
    assertEquals(200, wsk.put(NS + "actions/hello", new JsonObject().put("exec", new JsonObject()
        .put("kind", "nodejs:default").put("code", "function main() { return {ok: true}; }"))).status());
    assertEquals(200, wsk.post(NS + "actions/hello?blocking=true&result=true", new JsonObject()).status());
    List<String> before = containerIds();
    assertFalse(before.isEmpty(), "the first appliance keeps a warm container");

    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dorg.sqlite.tmpdir=" + System.getProperty("org.sqlite.tmpdir", System.getProperty("java.io.tmpdir"))));
    if (System.getProperty("vertx.cacheDirBase") != null) {
      command.add("-Dvertx.cacheDirBase=" + System.getProperty("vertx.cacheDirBase"));
    }
    command.addAll(settings);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.edgewhisk.Main", "serve",
        "--state-dir", stateDir.toString(), "--port", Integer.toString(ChildAppliance.freePort())));
    ProcessRun second = ProcessRun.of(command, java.util.Map.of(), 120);

    assertEquals(1, second.exitCode(), second::toString);
    List<String> said = second.stderr().lines().filter(l -> l.startsWith("edgewhisk serve:")).toList();
    assertEquals(1, said.size(), second::toString);
    assertTrue(said.get(0).contains("is in use by another EdgeWhisk (process " + first.pid() + ")"), said.get(0));
    assertEquals(before, containerIds(), "the running appliance's containers are untouched");
    assertEquals(200, wsk.post(NS + "actions/hello?blocking=true&result=true", new JsonObject()).status(),
        "the first appliance still runs actions");
  }

  private List<String> containerIds() {
    ProcessRun ps = ProcessRun.of(List.of("podman", "ps", "-a", "-q", "--filter",
        "label=edgewhisk.instance=" + containers.instanceId()));
    assertEquals(0, ps.exitCode(), ps::toString);
    return ps.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).sorted().toList();
  }
}
