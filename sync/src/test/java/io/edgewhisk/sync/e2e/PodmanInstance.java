package io.edgewhisk.sync.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The Podman containers and networks of one test appliance (its {@code edgewhisk.invoker.instance-id}
 * label), found and removed with the real {@code podman} command, so that a test leaves none behind and
 * never touches anyone else's.
 */
final class PodmanInstance {
  private final String id = "sync-e2e-" + UUID.randomUUID().toString().substring(0, 8);

  String id() {
    return id;
  }

  /** Removes what is left of this instance; answers the containers there were (none after a clean stop). */
  List<String> removeLeftovers() throws IOException, InterruptedException {
    List<String> containers = ids("ps", "-a", "-q");
    if (!containers.isEmpty()) {
      List<String> rm = new ArrayList<>(List.of("podman", "rm", "-f"));
      rm.addAll(containers);
      run(rm);
    }
    List<String> networks = ids("network", "ls", "-q");
    if (!networks.isEmpty()) {
      List<String> rm = new ArrayList<>(List.of("podman", "network", "rm", "-f"));
      rm.addAll(networks);
      run(rm);
    }
    return containers;
  }

  private List<String> ids(String... ls) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("podman"));
    cmd.addAll(List.of(ls));
    cmd.addAll(List.of("--filter", "label=edgewhisk.instance=" + id));
    return run(cmd).lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }
}
