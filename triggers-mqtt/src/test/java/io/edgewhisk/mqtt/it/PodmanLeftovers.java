package io.edgewhisk.mqtt.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Removes the Podman containers and networks a test appliance left (label {@code edgewhisk.instance}); an
 * appliance stopped cleanly removes its own, one killed or stuck in a failing test does not.
 */
public final class PodmanLeftovers {
  private PodmanLeftovers() {
  }

  public static void remove(String instance) throws Exception {
    removeAll(List.of("ps", "-a", "-q"), List.of("rm", "-f"), instance);
    removeAll(List.of("network", "ls", "-q"), List.of("network", "rm", "-f"), instance);
  }

  private static void removeAll(List<String> list, List<String> remove, String instance) throws Exception {
    List<String> ls = new ArrayList<>(List.of("podman"));
    ls.addAll(list);
    ls.addAll(List.of("--filter", "label=edgewhisk.instance=" + instance));
    Process p = new ProcessBuilder(ls).start();
    String ids = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor(30, TimeUnit.SECONDS);
    if (ids.isEmpty()) {
      return;
    }
    List<String> rm = new ArrayList<>(List.of("podman"));
    rm.addAll(remove);
    rm.addAll(List.of(ids.split("\\s+")));
    new ProcessBuilder(rm).start().waitFor(60, TimeUnit.SECONDS);
  }
}
