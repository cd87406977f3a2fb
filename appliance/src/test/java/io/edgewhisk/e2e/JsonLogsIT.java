package io.edgewhisk.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.edgewhisk.api.WhiskClient;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code edgewhisk.logging.format = json} on a real {@code edgewhisk serve} (a child JVM) with real
 * Podman: every log line is a JSON object, and the line about an activation that timed out carries its
 * activation id and namespace.
 */
class JsonLogsIT {
  @Test
  void logLinesAreJsonAndALineAboutAnActivationCarriesItsIdAndNamespace() throws Exception {
    InstanceContainers containers = new InstanceContainers("jsonlogs-it");
    Path work = Files.createTempDirectory("edgewhisk-jsonlogs");
    ChildAppliance child = null;
    try {
      child = ChildAppliance.start(work.resolve("state"), List.of("-Dedgewhisk.logging.format=json",
          "-Dedgewhisk.invoker.prewarm=false", "-Dedgewhisk.invoker.instance-id=" + containers.instanceId()),
          work.resolve("appliance.out"));
      WhiskClient wsk = new WhiskClient(child.port(), Files.readString(work.resolve("state/guest.key")).strip());
      WhiskClient.Reply put = wsk.put("/api/v1/namespaces/_/actions/slow", new JsonObject()
          .put("exec", new JsonObject().put("kind", "nodejs:default")
              .put("code", "function main(){return new Promise(r => setTimeout(() => r({}), 5000))}"))
          .put("limits", new JsonObject().put("timeout", 300)));
      assertEquals(200, put.status(), put::toString);
      WhiskClient.Reply run = wsk.post("/api/v1/namespaces/_/actions/slow?blocking=true", new JsonObject());
      String id = run.json().getString("activationId");
      assertTrue(id != null && run.body().contains("exceeded its time limit"), run::toString);

      JsonObject about = null;
      for (int i = 0; i < 50 && about == null; i++) {
        about = linesOf(child).stream().filter(l -> id.equals(l.getString("activationId"))).findFirst().orElse(null);
        Thread.sleep(100);
      }
      if (about == null) {
        fail("no JSON log line carries activation " + id + ":\n" + child.output());
      }
      JsonObject line = about;
      assertEquals("guest", line.getString("namespace"), line::encode);
      assertTrue(line.getString("message").contains("timed out"), line::encode);
      for (String field : List.of("time", "level", "logger", "thread")) {
        assertTrue(line.containsKey(field), () -> field + " missing: " + line.encode());
      }
      assertEquals(0, child.stop(), "exit status after SIGTERM");
      assertTrue(linesOf(child).stream().anyMatch(l -> "shutting down".equals(l.getString("message"))), child::output);
    } finally {
      if (child != null) {
        child.stop();
      }
      List<String> left = containers.removeLeftovers();
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      assertTrue(left.isEmpty(), () -> String.join("\n", left));
    }
  }

  /**
   * The log lines of the child's output, each parsed: every line that is not the start-up banner (the
   * banner goes to standard output, for a person) must be a JSON object.
   */
  private static List<JsonObject> linesOf(ChildAppliance child) {
    return child.output().lines()
        .filter(l -> !l.isBlank() && !l.startsWith("EdgeWhisk is ready.") && !l.startsWith("  "))
        .map(l -> {
          try {
            return new JsonObject(l);
          } catch (DecodeException e) {
            throw new AssertionError("a log line that is not JSON: " + l, e);
          }
        }).toList();
  }
}
