package io.edgewhisk.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Podman containers of one appliance instance (label {@code edgewhisk.instance}), looked at with the
 * real {@code podman} command, so that a test can prove its appliance left none behind.
 */
final class InstanceContainers {
  private final String instanceId;

  InstanceContainers(String prefix) {
    ProcessRun.requireOnPath("podman");
    this.instanceId = prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
  }

  String instanceId() {
    return instanceId;
  }

  /** HOCON giving an appliance this instance id. */
  String setting() {
    return "edgewhisk.invoker.instance-id = \"" + instanceId + "\"";
  }

  /**
   * Removes whatever containers of this instance are left; answers a complaint naming them (empty when
   * there were none), for the test to fail with.
   */
  List<String> removeLeftovers() {
    List<String> problems = removeLeftoverContainers();
    removeLeftoverNetworks();
    return problems;
  }

  /**
   * The networks of this instance (one per container) that an appliance killed and never restarted left;
   * the appliance removes them itself when it stops or starts again.
   */
  private void removeLeftoverNetworks() {
    ProcessRun ls = ProcessRun.of(List.of("podman", "network", "ls", "-q", "--filter", "label=edgewhisk.instance=" + instanceId));
    List<String> ids = ls.exitCode() != 0 ? List.of()
        : ls.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    if (!ids.isEmpty()) {
      List<String> rm = new ArrayList<>(List.of("podman", "network", "rm", "-f"));
      rm.addAll(ids);
      ProcessRun.of(rm);
    }
  }

  private List<String> removeLeftoverContainers() {
    ProcessRun ps = ProcessRun.of(List.of("podman", "ps", "-a", "-q", "--filter", "label=edgewhisk.instance=" + instanceId));
    if (ps.exitCode() != 0) {
      return List.of("podman ps failed: " + ps);
    }
    List<String> ids = ps.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    if (ids.isEmpty()) {
      return List.of();
    }
    List<String> rm = new ArrayList<>(List.of("podman", "rm", "-f"));
    rm.addAll(ids);
    ProcessRun removed = ProcessRun.of(rm);
    return List.of("containers of instance " + instanceId + " were left after the appliance stopped: " + ids
        + (removed.exitCode() == 0 ? " (removed now)" : " (and could not be removed: " + removed + ")"));
  }

  /** Removes leftovers and fails if there were any. */
  void assertNoneLeft() {
    List<String> problems = removeLeftovers();
    if (!problems.isEmpty()) {
      throw new AssertionError(String.join("\n", problems));
    }
  }
}
