package io.edgewhisk.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.api.RealAppliance;
import io.edgewhisk.api.WhiskClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Invocations end to end, as a user's client sees them: real appliance, real Podman, real runtime images.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvocationIT {
  private static final String NS = "/api/v1/namespaces/_/";
  private RealAppliance appliance;
  private WhiskClient wsk;

  @BeforeAll
  void start() throws Exception {
    appliance = new RealAppliance("edgewhisk.invoker { pause-grace = 2s, user-memory = 1536 }");
    wsk = new WhiskClient(appliance.port(), appliance.guestKey());
  }

  @AfterAll
  void stop() {
    if (appliance != null) {
      appliance.close();
    }
  }

  private void create(String name, String kind, String code) {
    WhiskClient.Reply r = wsk.put(NS + "actions/" + name + "?overwrite=true",
        new JsonObject().put("exec", new JsonObject().put("kind", kind).put("code", code)));
    assertEquals(200, r.status(), r::toString);
  }

  /** Polls for the record of an accepted activation, as {@code wsk activation get} does. */
  JsonObject awaitRecord(String id) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      WhiskClient.Reply r = wsk.get(NS + "activations/" + id);
      if (r.status() == 200) {
        return r.json();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no record for " + id);
  }

  JsonObject awaitLogs(String id) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      JsonObject r = awaitRecord(id);
      if (!r.getJsonArray("logs").isEmpty()) {
        return r;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no logs for " + id);
  }

  @Test
  void nodejsBlockingAndResultOnly() throws Exception {
    create("hello", "nodejs:default", "function main(p) { console.log('hi ' + p.name); return {greeting: 'Hello ' + p.name}; }");
    WhiskClient.Reply r = wsk.post(NS + "actions/hello?blocking=true", new JsonObject().put("name", "Ada"));
    assertEquals(200, r.status(), r::toString);
    JsonObject record = r.json();
    assertEquals("Hello Ada", record.getJsonObject("response").getJsonObject("result").getString("greeting"));
    assertEquals(0, record.getJsonObject("response").getInteger("statusCode"));
    assertEquals(record.getString("activationId"), r.header("x-openwhisk-activation-id"));
    // answered as soon as the action answered (OpenWhisk's active ack); the stored record has the logs
    JsonObject stored = awaitLogs(record.getString("activationId"));
    assertTrue(stored.getJsonArray("logs").getString(0).endsWith("stdout: hi Ada"), stored::toString);
    WhiskClient.Reply result = wsk.post(NS + "actions/hello?blocking=true&result=true", new JsonObject().put("name", "Bob"));
    assertEquals(new JsonObject().put("greeting", "Hello Bob"), result.json());
  }

  @Test
  void metricsMoveWithInvocations() throws Exception {
    create("counted", "nodejs:default", "function main() { return {}; }");
    double activations = sum("openwhisk_action_activations_total{namespace=\"guest\"", "status=\"success\"}");
    double starts = sum("openwhisk_counter_invoker_containerStart_total{", "}");
    double waits = sum("openwhisk_action_waitTime_seconds_count{", "}");
    double posts = sum("edgewhisk_http_requests_total{route=\"actions\",method=\"POST\"", "status=\"200\"}");
    double stored = sum("edgewhisk_activation_store_records", "");
    for (int i = 0; i < 2; i++) {
      assertEquals(200, wsk.post(NS + "actions/counted?blocking=true", new JsonObject()).status());
    }
    // the record is counted when it is recorded, just after the blocking answer
    long deadline = System.currentTimeMillis() + 10_000;
    while (sum("openwhisk_action_activations_total{namespace=\"guest\"", "status=\"success\"}") < activations + 2
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(sum("openwhisk_action_activations_total{namespace=\"guest\"", "status=\"success\"}") >= activations + 2);
    assertTrue(sum("openwhisk_counter_invoker_containerStart_total{", "}") >= starts + 2);
    assertTrue(sum("openwhisk_action_waitTime_seconds_count{", "}") >= waits + 2);
    assertTrue(sum("edgewhisk_http_requests_total{route=\"actions\",method=\"POST\"", "status=\"200\"}") >= posts + 2);
    String text = wsk.get("/metrics").body();
    assertTrue(text.contains("edgewhisk_log_consumer_lag{topic=\"invoke\""), text);
    // the activation store: its records (kept, not counted per scrape) once they are committed, and its size
    while (sum("edgewhisk_activation_store_records", "") < stored + 2 && System.currentTimeMillis() < deadline + 10_000) {
      Thread.sleep(50);
    }
    assertTrue(sum("edgewhisk_activation_store_records", "") >= stored + 2, text);
    assertTrue(sum("edgewhisk_activation_store_bytes", "") > 0, text);
  }

  /** The sum of the samples of /metrics whose line starts with {@code prefix} and whose labels end with {@code suffix}. */
  private double sum(String prefix, String suffix) {
    double total = 0;
    for (String line : wsk.get("/metrics").body().split("\n")) {
      int space = line.lastIndexOf(' ');
      if (line.startsWith(prefix) && space > 0 && line.substring(0, space).endsWith(suffix)) {
        total += Double.parseDouble(line.substring(space + 1));
      }
    }
    return total;
  }

  @Test
  void pythonAction() {
    create("py", "python:default", "def main(args):\n    return {'sum': args.get('a', 0) + args.get('b', 0)}\n");
    WhiskClient.Reply r = wsk.post(NS + "actions/py?blocking=true&result=true", new JsonObject().put("a", 2).put("b", 40));
    assertEquals(200, r.status(), r::toString);
    assertEquals(42, r.json().getInteger("sum"));
  }

  @Test
  void nonBlockingAnswers202ThenTheRecordAppears() throws Exception {
    create("later", "nodejs:default", "function main(p) { return {n: p.n}; }");
    WhiskClient.Reply r = wsk.post(NS + "actions/later", new JsonObject().put("n", 7));
    assertEquals(202, r.status(), r::toString);
    String id = r.json().getString("activationId");
    assertEquals(id, r.header("x-openwhisk-activation-id"));
    JsonObject record = awaitRecord(id);
    assertEquals(7, record.getJsonObject("response").getJsonObject("result").getInteger("n"));
    assertEquals(7, wsk.get(NS + "activations/" + id + "/result").json().getJsonObject("result").getInteger("n"));
    assertNotNull(wsk.get(NS + "activations/" + id + "/logs").json().getJsonArray("logs"));
    assertTrue(wsk.get(NS + "activations?name=later").array().stream()
        .anyMatch(o -> ((JsonObject) o).getString("activationId").equals(id)));
  }

  @Test
  void errorsAre502WithTheirStatusCodes() {
    create("apperr", "nodejs:default", "function main() { return {error: 'bad input'}; }");
    create("deverr", "nodejs:default", "function main() { throw new Error('boom'); }");
    WhiskClient.Reply app = wsk.post(NS + "actions/apperr?blocking=true", new JsonObject());
    assertEquals(502, app.status(), app::toString);
    assertEquals(1, app.json().getJsonObject("response").getInteger("statusCode"));
    assertEquals("application error", app.json().getJsonObject("response").getString("status"));
    WhiskClient.Reply dev = wsk.post(NS + "actions/deverr?blocking=true", new JsonObject());
    assertEquals(502, dev.status(), dev::toString);
    assertEquals(2, dev.json().getJsonObject("response").getInteger("statusCode"));
    assertEquals(new JsonObject().put("error", "bad input"), wsk.post(NS + "actions/apperr?blocking=true&result=true", new JsonObject()).json());
  }

  @Test
  void blockingPastItsWaitAnswers202() throws Exception {
    create("slow", "nodejs:default", "function main() { return new Promise(r => setTimeout(() => r({done: true}), 1500)); }");
    WhiskClient.Reply r = wsk.post(NS + "actions/slow?blocking=true&timeout=200", new JsonObject());
    assertEquals(202, r.status(), r::toString);
    JsonObject record = awaitRecord(r.json().getString("activationId"));
    assertTrue(record.getJsonObject("response").getJsonObject("result").getBoolean("done"));
    assertEquals(400, wsk.post(NS + "actions/slow?blocking=true&timeout=70000", new JsonObject()).status());
    assertEquals(400, wsk.post(NS + "actions/slow?blocking=true&timeout=soon", new JsonObject()).status());
  }

  @Test
  void parameterPrecedenceAndFinal() {
    String pkg = "prec";
    wsk.put(NS + "packages/" + pkg + "?overwrite=true", new JsonObject().put("parameters",
        new JsonArray().add(kv("a", "package")).add(kv("b", "package")).add(kv("c", "package"))));
    wsk.put(NS + "packages/precbind?overwrite=true", new JsonObject()
        .put("binding", new JsonObject().put("namespace", "_").put("name", pkg))
        .put("parameters", new JsonArray().add(kv("b", "binding")).add(kv("c", "binding"))));
    WhiskClient.Reply put = wsk.put(NS + "actions/" + pkg + "/echo?overwrite=true", new JsonObject()
        .put("exec", new JsonObject().put("kind", "nodejs:default").put("code", "function main(p) { return p; }"))
        .put("parameters", new JsonArray().add(kv("c", "action"))));
    assertEquals(200, put.status(), put::toString);
    JsonObject out = wsk.post(NS + "actions/precbind/echo?blocking=true&result=true", new JsonObject().put("d", "payload")).json();
    assertEquals(new JsonObject().put("a", "package").put("b", "binding").put("c", "action").put("d", "payload"), out);
    assertEquals("payload", wsk.post(NS + "actions/precbind/echo?blocking=true&result=true",
        new JsonObject().put("c", "payload")).json().getString("c"));

    wsk.put(NS + "actions/locked?overwrite=true", new JsonObject()
        .put("exec", new JsonObject().put("kind", "nodejs:default").put("code", "function main(p) { return p; }"))
        .put("parameters", new JsonArray().add(kv("mode", "safe")))
        .put("annotations", new JsonArray().add(new JsonObject().put("key", "final").put("value", true))));
    WhiskClient.Reply refused = wsk.post(NS + "actions/locked?blocking=true", new JsonObject().put("mode", "unsafe"));
    assertEquals(400, refused.status(), refused::toString);
    assertTrue(refused.json().getString("error").contains("Request defines parameters that are not allowed"));
    assertEquals("safe", wsk.post(NS + "actions/locked?blocking=true&result=true", new JsonObject().put("x", 1)).json().getString("mode"));
  }

  @Test
  void sequenceStopsAtTheFailingComponent() {
    create("s1", "nodejs:default", "function main(p) { return {v: (p.v || 0) + 1}; }");
    create("s2fail", "nodejs:default", "function main(p) { return {error: 'stop at ' + p.v}; }");
    create("s3", "nodejs:default", "function main(p) { return {v: p.v * 100}; }");
    WhiskClient.Reply seq = wsk.put(NS + "actions/seqok?overwrite=true", new JsonObject().put("exec", new JsonObject()
        .put("kind", "sequence").put("components", new JsonArray().add("/_/s1").add("/_/s1").add("/_/s3"))));
    assertEquals(200, seq.status(), seq::toString);
    JsonObject ok = wsk.post(NS + "actions/seqok?blocking=true", new JsonObject().put("v", 1)).json();
    assertEquals(300, ok.getJsonObject("response").getJsonObject("result").getInteger("v"));
    assertEquals(3, ok.getJsonArray("logs").size());
    JsonObject first = wsk.get(NS + "activations/" + ok.getJsonArray("logs").getString(0)).json();
    assertEquals(ok.getString("activationId"), first.getString("cause"));

    wsk.put(NS + "actions/seqfail?overwrite=true", new JsonObject().put("exec", new JsonObject()
        .put("kind", "sequence").put("components", new JsonArray().add("s1").add("s2fail").add("s3"))));
    WhiskClient.Reply failed = wsk.post(NS + "actions/seqfail?blocking=true", new JsonObject().put("v", 1));
    assertEquals(502, failed.status(), failed::toString);
    JsonObject record = failed.json();
    assertEquals(2, record.getJsonArray("logs").size(), "the third component never ran");
    assertEquals("stop at 2", record.getJsonObject("response").getJsonObject("result").getString("error"));
    assertTrue(record.getJsonArray("annotations").contains(new JsonObject().put("key", "kind").put("value", "sequence")));
  }

  @Test
  void triggerWithTwoRules() throws Exception {
    create("r1", "nodejs:default", "function main(p) { return {by: 'r1', temp: p.temp, unit: p.unit}; }");
    create("r2", "nodejs:default", "function main(p) { return {by: 'r2', temp: p.temp}; }");
    wsk.put(NS + "triggers/sensor?overwrite=true", new JsonObject().put("parameters", new JsonArray().add(kv("unit", "C"))));
    assertEquals(204, wsk.post(NS + "triggers/sensor", new JsonObject()).status(), "no rule yet");
    wsk.put(NS + "rules/rule1?overwrite=true", new JsonObject().put("trigger", "sensor").put("action", "r1"));
    wsk.put(NS + "rules/rule2?overwrite=true", new JsonObject().put("trigger", "sensor").put("action", "r2"));
    wsk.put(NS + "rules/rule3?overwrite=true", new JsonObject().put("trigger", "sensor").put("action", "r2"));
    wsk.post(NS + "rules/rule3", new JsonObject().put("status", "inactive"));
    WhiskClient.Reply fired = wsk.post(NS + "triggers/sensor", new JsonObject().put("temp", 21));
    assertEquals(202, fired.status(), fired::toString);
    JsonObject trigger = awaitRecord(fired.json().getString("activationId"));
    assertEquals(new JsonObject().put("unit", "C").put("temp", 21), trigger.getJsonObject("response").getJsonObject("result"));
    JsonArray logs = trigger.getJsonArray("logs");
    assertEquals(2, logs.size(), logs::encode);
    Set<String> rules = new HashSet<>();
    for (Object line : logs) {
      JsonObject l = new JsonObject((String) line);
      assertTrue(l.getBoolean("success"), l::encode);
      rules.add(l.getString("rule"));
      JsonObject ran = awaitRecord(l.getString("activationId"));
      assertEquals(21, ran.getJsonObject("response").getJsonObject("result").getInteger("temp"));
      assertEquals(fired.json().getString("activationId"), ran.getString("cause"));
    }
    assertEquals(Set.of("guest/rule1", "guest/rule2"), rules);
    assertFalse(rules.contains("guest/rule3"));
  }

  @Test
  void storeActivationsFalseKeepsNoRecord() throws Exception {
    var subjects = appliance.appliance().stores().subjects();
    var quiet = subjects.create("quiet", "quiet").await(10, java.util.concurrent.TimeUnit.SECONDS);
    subjects.setLimits("quiet", new io.edgewhisk.model.NamespaceLimits(null, null, null, null, false))
        .await(10, java.util.concurrent.TimeUnit.SECONDS);
    WhiskClient q = new WhiskClient(appliance.port(), quiet.authKey());
    for (int i = 0; i < 50 && !Boolean.FALSE.equals(subjects.identityOf("quiet").limits().storeActivations()); i++) {
      Thread.sleep(100); // the subject cache follows the change within its refresh interval
    }
    q.put(NS + "actions/q", new JsonObject().put("exec", new JsonObject().put("kind", "nodejs:default")
        .put("code", "function main() { return {ok: true}; }")));
    WhiskClient.Reply r = q.post(NS + "actions/q?blocking=true", new JsonObject());
    assertEquals(200, r.status(), r::toString);
    assertTrue(r.json().getJsonObject("response").getJsonObject("result").getBoolean("ok"));
    Thread.sleep(300);
    assertEquals(404, q.get(NS + "activations/" + r.json().getString("activationId")).status());
    assertEquals(0, q.get(NS + "activations?count=true").json().getInteger("activations"));
  }

  private static JsonObject kv(String k, Object v) {
    return new JsonObject().put("key", k).put("value", v);
  }
}
