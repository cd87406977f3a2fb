package io.edgewhisk.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import io.edgewhisk.api.WhiskClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One test's child appliance and everything it leaves: a temporary folder (its state directory and its
 * output), its instance's Podman containers and networks. A test starts the appliance (again, after a kill,
 * on the same state), and at its end {@link #finish}es the run: the appliance stopped with SIGTERM and
 * expected to exit 0, leftovers removed, the folder deleted, and the test failed if anything was wrong.
 */
final class ChildApplianceRun {
  private final InstanceContainers containers;
  private final Path work;
  private ChildAppliance child;

  ChildApplianceRun(String name) {
    containers = new InstanceContainers(name);
    try {
      work = Files.createTempDirectory("edgewhisk-" + name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path work() {
    return work;
  }

  Path stateDir() {
    return work.resolve("state");
  }

  InstanceContainers containers() {
    return containers;
  }

  /** The appliance last started. */
  ChildAppliance child() {
    return child;
  }

  /** Starts the appliance on this run's state with {@code flags} and this run's instance id; waits for /ping. */
  ChildAppliance start(List<String> flags) throws Exception {
    return start(flags, Map.of());
  }

  /** As above, with environment variables. */
  ChildAppliance start(List<String> flags, Map<String, String> env) throws Exception {
    List<String> all = new ArrayList<>(flags);
    all.add("-Dedgewhisk.invoker.instance-id=" + containers.instanceId());
    child = ChildAppliance.start(stateDir(), all, env, work.resolve("appliance.out"));
    return child;
  }

  /** A client of the running appliance with guest's key. */
  WhiskClient guest() throws IOException {
    return new WhiskClient(child.port(), Files.readString(stateDir().resolve("guest.key")).strip());
  }

  /**
   * Stops the appliance (SIGTERM, exit 0 expected; SIGKILL when {@code kill}) and removes its instance's
   * leftovers; answers what was wrong (empty when nothing).
   */
  List<String> stop(boolean kill) throws InterruptedException {
    List<String> problems = new ArrayList<>();
    try {
      if (child != null && child.isAlive()) {
        if (kill) {
          child.kill();
        } else {
          int status = child.stop();
          if (status != 0) {
            problems.add("the appliance exited with " + status + " on SIGTERM:\n" + child.output());
          }
        }
      }
    } finally {
      problems.addAll(containers.removeLeftovers());
    }
    return problems;
  }

  /** Deletes the run's folder. */
  void deleteWork() throws IOException {
    try (Stream<Path> files = Files.walk(work)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** {@link #stop} with SIGTERM, {@link #deleteWork}, then fails the test with whatever was wrong. */
  void finish() throws Exception {
    finish(false);
  }

  /** As {@link #finish()}, killing the appliance instead when {@code kill}. */
  void finish(boolean kill) throws Exception {
    List<String> problems;
    try {
      problems = stop(kill);
    } finally {
      deleteWork();
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
  }
}
