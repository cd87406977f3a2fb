package io.edgewhisk.sync.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Ends an end-to-end test's world in the order that leaves nothing behind: the appliance (which must stop
 * cleanly), then any container of its Podman instance, then the central cluster, then the test's folder.
 * What went wrong on the way fails the test, after everything was cleaned up.
 */
final class E2eTeardown {
  private E2eTeardown() {}

  static void stopAll(SyncedAppliance appliance, PodmanInstance podman, CentralCluster central, Path dir)
      throws Exception {
    List<String> problems = new ArrayList<>();
    try {
      if (appliance != null && appliance.stop() != 0) {
        problems.add("the appliance did not stop cleanly:\n" + appliance.output());
      }
    } finally {
      List<String> left = podman.removeLeftovers();
      if (!left.isEmpty()) {
        problems.add("containers left after the appliance stopped: " + left);
      }
      if (central != null) {
        central.close();
      }
      deleteTree(dir);
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
