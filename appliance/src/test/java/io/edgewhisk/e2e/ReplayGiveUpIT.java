package io.edgewhisk.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.api.WhiskClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An activation the appliance never survives (here: it is killed every time the activation runs) is run
 * again after each restart only until it has been started {@code max-attempts} times; at the next start it
 * is recorded as a whisk internal error instead of being run, and the appliance serves normally.
 */
class ReplayGiveUpIT {
  private static final String NS = "/api/v1/namespaces/_/";

  private final ChildApplianceRun run = new ChildApplianceRun("replay-it");

  @AfterEach
  void cleanUp() throws Exception {
    run.finish();
  }

  private WhiskClient start() throws Exception {
    run.start(List.of("-Dedgewhisk.invoker.max-attempts=2"));
    return run.guest();
  }

  @Test
  void anActivationThatTheApplianceNeverSurvivesIsGivenUp() throws Exception {
    WhiskClient wsk = start();
    WhiskClient.Reply put = wsk.put(NS + "actions/fatal?overwrite=true", new JsonObject()
        .put("exec", new JsonObject().put("kind", "nodejs:default")
            .put("code", "function main() { return new Promise(r => setTimeout(() => r({done: true}), 90000)); }"))
        .put("limits", new JsonObject().put("timeout", 120000)));
    assertEquals(200, put.status(), put::toString);
    WhiskClient.Reply accepted = wsk.post(NS + "actions/fatal", new JsonObject());
    assertEquals(202, accepted.status(), accepted::toString);
    String id = accepted.json().getString("activationId");

    // its first run, killed: the restart runs it again
    awaitRunning(wsk);
    run.child().kill();
    run.containers().removeLeftovers();
    wsk = start();
    assertEquals(404, wsk.get(NS + "activations/" + id).status(), "recorded although it never finished");
    // its second run, killed: started twice, so this start gives it up at once
    awaitRunning(wsk);
    run.child().kill();
    run.containers().removeLeftovers();
    wsk = start();
    JsonObject record = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (record == null && System.nanoTime() < deadline) {
      WhiskClient.Reply r = wsk.get(NS + "activations/" + id);
      record = r.status() == 200 ? r.json() : null;
      Thread.sleep(200);
    }
    assertTrue(record != null, () -> "no record 30 s after the start that should give it up:\n" + run.child().output());
    JsonObject response = record.getJsonObject("response");
    assertEquals("whisk internal error", response.getString("status"), record::encode);
    assertTrue(response.getJsonObject("result").getString("error").startsWith("The activation was started 2 times"), record::encode);
    assertEquals(200, new WhiskClient(run.child().port(), null).get("/ping").status());
    // and the next start neither runs nor records it again
    assertEquals(0, run.child().stop());
    wsk = start();
    assertEquals(1, wsk.get(NS + "activations?name=fatal&count=true").json().getInteger("activations"));
  }

  /**
   * Gives the activation time to be started: a container from a stem cell takes tens of milliseconds,
   * a cold one well under a second, and the 90 s action is then still running.
   */
  private void awaitRunning(WhiskClient wsk) throws Exception {
    Thread.sleep(5000);
    assertEquals(200, new WhiskClient(run.child().port(), null).get("/ping").status());
  }
}
