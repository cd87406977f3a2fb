package io.edgewhisk.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.store.EntityStore;
import io.edgewhisk.sync.pull.CentralDocs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fleet sync end to end: the real appliance with the sync plugin (real Podman) against a real CouchDB-speaking
 * server and a real Kafka as the central cluster, driven only through the REST API (and OpenWhisk's npm client)
 * as a user would, with the central side written and read as OpenWhisk's controller does. Deployed centrally
 * once; the tests run in order because the last ones rotate the key and take the central servers away.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetE2EIT {
  static final Duration WAIT = Duration.ofSeconds(90);
  static final String DEVICE = "gw-e2e";
  static final String FLEET = "/api/v1/namespaces/fleet/";
  /** The core's message for a local write of a fleet-owned entity. */
  static final String FLEET_MANAGED = EntityStore.Origin.FLEET_MANAGED;
  static final String HELLO_CODE = "function main(p) { console.log('hello at the edge'); "
      + "return {greeting: p.greeting + ' ' + (p.name || 'world'), ns: process.env.__OW_NAMESPACE}; }";

  private final PodmanInstance podman = new PodmanInstance();
  private Path dir;
  private CentralCluster central;
  private SyncedAppliance appliance;
  private String[] key = CentralCluster.newKey();

  @BeforeAll
  void deployCentrallyAndStart() throws Exception {
    dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "fleet-e2e-");
    central = CentralCluster.start(dir);
    CentralCouch couch = central.couch;
    couch.put(CentralCluster.SUBJECTS, CentralCluster.subject("alice", key[0], key[1]));
    couch.put(CentralCluster.SUBJECTS, new JsonObject().put("_id", "fleet/limits").put("invocationsPerMinute", 10_000)
        .put("concurrentInvocations", 100));
    couch.replace(CentralCluster.WHISKS, CentralDocs.nodeAction("fleet", "hello", HELLO_CODE, "berlin"));
    couch.replace(CentralCluster.WHISKS, CentralDocs.nodeAction("fleet", "elsewhere", HELLO_CODE, "paris"));
    // a package, an action in it, and a binding of it with a parameter of its own
    couch.replace(CentralCluster.WHISKS, CentralDocs.pkg("fleet", "utils", "berlin"));
    couch.replace(CentralCluster.WHISKS, CentralDocs.nodeAction("fleet/utils", "where",
        "function main(p) { return {host: p.host, user: p.user, greeting: p.greeting}; }", "berlin"));
    couch.replace(CentralCluster.WHISKS, CentralDocs.binding("fleet", "mine", "fleet", "utils", "berlin"));
    // a trigger with two active rules (their status in the trigger's document, as OpenWhisk keeps it)
    for (String a : List.of("store", "alert")) {
      couch.replace(CentralCluster.WHISKS, CentralDocs.nodeAction("fleet", a,
          "function main(p) { return {by: '" + a + "', reading: p.reading, site: p.site}; }", "berlin"));
      couch.replace(CentralCluster.WHISKS, CentralDocs.rule("fleet", "on-" + a, "reading", a, "berlin"));
    }
    couch.replace(CentralCluster.WHISKS, CentralDocs.trigger("fleet", "reading", new JsonObject()
        .put("fleet/on-store", CentralDocs.ruleEntry("fleet", "store", "active"))
        .put("fleet/on-alert", CentralDocs.ruleEntry("fleet", "alert", "active")), "berlin")
        .put("parameters", new JsonArray().add(new JsonObject().put("key", "site").put("value", "greenhouse"))));

    appliance = new SyncedAppliance(dir.resolve("state"),
        central.applianceConfig(podman, DEVICE, "edgewhisk.invoker.user-memory = 1536")).start();
    Rest wsk = fleet();
    for (String path : List.of("actions/hello", "actions/utils/where", "packages/mine", "actions/store", "actions/alert",
        "rules/on-store", "rules/on-alert", "triggers/reading")) {
      await("fleet/" + path + " pulled to the gateway", () -> wsk.get(FLEET + path).status() == 200);
    }
  }

  @AfterAll
  void stopEverything() throws Exception {
    E2eTeardown.stopAll(appliance, podman, central, dir);
  }


  private Rest fleet() {
    return new Rest(appliance.port(), key[0] + ":" + key[1]);
  }

  @Test
  @Order(1)
  void aCentralActionRunsAtTheGatewayAndItsActivationReachesTheCentralDatabase() {
    Rest wsk = fleet();
    Rest.Reply got = wsk.get(FLEET + "actions/hello");
    assertEquals("fleet", got.json().getString("namespace"), got::toString);
    assertEquals(404, wsk.get(FLEET + "actions/elsewhere").status(), "labelled for another fleet: stays central");

    Rest.Reply run = wsk.post(FLEET + "actions/hello?blocking=true", new JsonObject().put("name", "berlin"));
    assertEquals(200, run.status(), run::toString);
    JsonObject record = run.json();
    assertEquals(new JsonObject().put("greeting", "hi berlin").put("ns", "fleet"),
        record.getJsonObject("response").getJsonObject("result"));
    String id = record.getString("activationId");

    JsonObject doc = awaitDocument(CentralCluster.ACTIVATIONS, "fleet/" + id);
    // exactly the fields OpenWhisk writes (and requires when it reads one back)
    assertEquals("activation", doc.getString("entityType"));
    assertEquals("fleet", doc.getString("namespace"));
    assertEquals("hello", doc.getString("name"));
    assertEquals("alice", doc.getString("subject"));
    assertEquals(id, doc.getString("activationId"));
    assertEquals(record.getLong("start"), doc.getLong("start"));
    assertEquals(record.getLong("end"), doc.getLong("end"));
    assertTrue(doc.getLong("updated") >= doc.getLong("start"), doc::encode);
    assertEquals("0.0.1", doc.getString("version"));
    assertFalse(doc.getBoolean("publish"));
    JsonObject response = doc.getJsonObject("response");
    assertEquals(0, response.getInteger("statusCode"));
    assertEquals(new JsonObject().put("greeting", "hi berlin").put("ns", "fleet"), response.getJsonObject("result"));
    assertFalse(response.containsKey("status") || response.containsKey("success"), "API-only fields: " + response);
    JsonArray logs = doc.getJsonArray("logs");
    assertEquals(1, logs.size(), doc::encode);
    assertTrue(logs.getString(0).matches("\\d{4}-\\d\\d-\\d\\dT[^ ]+Z +stdout: hello at the edge"), logs.getString(0));
    Map<String, Object> annotations = annotations(doc);
    assertEquals("fleet/hello", annotations.get("path"));
    assertEquals("nodejs:18", annotations.get("kind"));
    assertEquals(DEVICE, annotations.get("edge-device"));
    assertTrue(annotations.get("limits") instanceof JsonObject l && l.getInteger("memory") == 256, doc::encode);
    assertTrue(annotations.get("waitTime") instanceof Number, doc::encode);
    assertTrue(annotations.containsKey("timeout"), doc::encode);
  }

  @Test
  @Order(2)
  void openWhisksNpmClientInvokesAFleetActionAndIsRefusedChangingIt() throws Exception {
    Path script = Path.of(getClass().getResource("/e2e/fleet-npm.js").toURI());
    ProcessBuilder b = new ProcessBuilder("node", script.toString());
    b.environment().putAll(Map.of("NODE_PATH", nodeModules().toString(),
        "EDGEWHISK_APIHOST", "http://127.0.0.1:" + appliance.port(), "EDGEWHISK_AUTH", key[0] + ":" + key[1]));
    for (String proxy : List.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "PROXY", "proxy")) {
      b.environment().remove(proxy); // this traffic is for 127.0.0.1 only
    }
    Process run = b.start();
    String out = new String(run.getInputStream().readAllBytes());
    String err = new String(run.getErrorStream().readAllBytes());
    assertTrue(run.waitFor(120, TimeUnit.SECONDS), "the npm client script did not finish");
    assertEquals(0, run.exitValue(), () -> out + err);
    String[] lines = out.strip().split("\n");
    JsonObject facts = new JsonObject(lines[lines.length - 1]);
    assertEquals(new JsonObject().put("greeting", "hi npm").put("ns", "fleet"), facts.getJsonObject("result"));
    assertEquals(FLEET_MANAGED, facts.getJsonObject("updateError").getString("error"));
    assertEquals(FLEET_MANAGED, facts.getJsonObject("deleteError").getString("error"));
    awaitDocument(CentralCluster.ACTIVATIONS, "fleet/" + facts.getString("activationId"));
  }

  @Test
  @Order(3)
  void localWritesOfFleetEntitiesAreRefusedWithOpenWhisksConflict() {
    Rest wsk = fleet();
    JsonObject action = new JsonObject().put("exec", new JsonObject().put("kind", "nodejs:default").put("code",
        "function main() { return {local: true}; }"));
    List<Rest.Reply> refusals = List.of(
        wsk.put(FLEET + "actions/hello?overwrite=true", action),
        wsk.delete(FLEET + "actions/hello"),
        wsk.put(FLEET + "triggers/reading?overwrite=true", new JsonObject()),
        wsk.delete(FLEET + "rules/on-store"),
        wsk.put(FLEET + "packages/mine?overwrite=true", new JsonObject()));
    for (Rest.Reply r : refusals) {
      assertEquals(409, r.status(), r::toString);
      JsonObject error = r.json();
      assertEquals(FLEET_MANAGED, error.getString("error"), r::toString);
      assertTrue(error.getValue("code") instanceof String c && !c.isBlank(), r::toString);
      assertEquals(Set.of("error", "code"), error.fieldNames(), r::toString);
    }
    // without overwrite, OpenWhisk's own answer comes first
    Rest.Reply exists = wsk.put(FLEET + "actions/hello", action);
    assertEquals(409, exists.status(), exists::toString);
    assertEquals("resource already exists", exists.json().getString("error"));
    // unchanged, and still the fleet's
    Rest.Reply run = wsk.post(FLEET + "actions/hello?blocking=true&result=true", new JsonObject());
    assertEquals(new JsonObject().put("greeting", "hi world").put("ns", "fleet"), run.json(), run::toString);
    assertEquals(200, wsk.get(FLEET + "rules/on-store").status());
  }

  @Test
  @Order(4)
  void anActionThroughACentralBindingGetsThePackageAndBindingParameters() {
    Rest.Reply run = fleet().post(FLEET + "actions/mine/where?blocking=true&result=true", new JsonObject());
    assertEquals(200, run.status(), run::toString);
    assertEquals(new JsonObject().put("host", "db.local").put("user", "edge").put("greeting", "hi"), run.json());
  }

  @Test
  @Order(5)
  void aCentralTriggerFiresBothOfItsRulesAndEveryActivationReachesCentral() {
    Rest wsk = fleet();
    Rest.Reply fire = wsk.post(FLEET + "triggers/reading", new JsonObject().put("reading", 21.5));
    assertEquals(202, fire.status(), fire::toString);
    String triggerActivation = fire.json().getString("activationId");
    List<String> ids = new ArrayList<>(List.of(triggerActivation));
    for (String a : List.of("store", "alert")) {
      JsonObject[] found = new JsonObject[1];
      await("an activation of " + a, () -> {
        JsonArray list = wsk.get(FLEET + "activations?name=" + a + "&docs=true").array();
        found[0] = list.isEmpty() ? null : list.getJsonObject(0);
        return found[0] != null;
      });
      assertEquals(new JsonObject().put("by", a).put("reading", 21.5).put("site", "greenhouse"),
          found[0].getJsonObject("response").getJsonObject("result"));
      assertEquals(triggerActivation, found[0].getString("cause"), found[0]::encode);
      ids.add(found[0].getString("activationId"));
    }
    JsonObject trigger = awaitDocument(CentralCluster.ACTIVATIONS, "fleet/" + triggerActivation);
    assertEquals("reading", trigger.getString("name"));
    assertEquals(2, trigger.getJsonArray("logs").size(), trigger::encode);
    for (String id : ids.subList(1, 3)) {
      assertEquals(triggerActivation, awaitDocument(CentralCluster.ACTIVATIONS, "fleet/" + id).getString("cause"));
    }
  }

  @Test
  @Order(6)
  void aRotatedCentralKeyArrivesTheOldOneIsRefused() {
    String[] old = key;
    String[] rotated = {old[0], CentralCluster.newKey()[1]};
    central.couch.replace(CentralCluster.SUBJECTS, CentralCluster.subject("alice", rotated[0], rotated[1]));
    Rest before = fleet();
    Rest after = before.as(rotated[0] + ":" + rotated[1]);
    await("the rotated key works", () -> after.get(FLEET + "actions/hello").status() == 200);
    key = rotated;
    Rest.Reply refused = before.get(FLEET + "actions/hello");
    assertEquals(401, refused.status(), refused::toString);
    assertEquals(Set.of("error", "code"), refused.json().fieldNames(), refused::toString);
    Rest.Reply run = after.post(FLEET + "actions/hello?blocking=true&result=true", new JsonObject());
    assertEquals(200, run.status(), run::toString);
  }

  @Test
  @Order(7)
  void theCentralKeyWorksAtTheGatewayWithTheCentralServersStoppedAndARestart() throws Exception {
    central.stop();
    assertEquals(0, appliance.stop(), appliance::output);
    appliance.start();
    Rest wsk = fleet();
    Rest.Reply got = wsk.get(FLEET + "actions/hello");
    assertEquals(200, got.status(), got::toString);
    Rest.Reply run = wsk.post(FLEET + "actions/hello?blocking=true", new JsonObject().put("name", "offline"));
    assertEquals(200, run.status(), run::toString);
    assertEquals("hi offline", run.json().getJsonObject("response").getJsonObject("result").getString("greeting"));
    Rest.Reply fire = wsk.post(FLEET + "triggers/reading", new JsonObject().put("reading", 1));
    assertEquals(202, fire.status(), fire::toString);

    // and what ran offline arrives once the central cluster is back
    central.restart();
    awaitDocument(CentralCluster.ACTIVATIONS, "fleet/" + run.json().getString("activationId"));
    awaitDocument(CentralCluster.ACTIVATIONS, "fleet/" + fire.json().getString("activationId"));
  }

  @Test
  @Order(8)
  void theCentralPasswordsAreNeverWrittenToTheLog() throws Exception {
    String output = appliance.wholeOutput();
    // the Kafka client logs its configuration at start (twice here: two starts); the JAAS line is hidden
    assertTrue(output.contains("sasl.jaas.config = [hidden]"), "the Kafka client's configuration was not logged:\n" + output);
    assertTrue(output.contains("security.protocol = SASL_PLAINTEXT"), "the properties file was not used");
    for (String secret : central.secrets()) {
      assertFalse(output.contains(secret), "a central password is in the appliance's output");
    }
  }

  private JsonObject awaitDocument(String db, String id) {
    JsonObject[] doc = new JsonObject[1];
    await(id + " in " + db, () -> (doc[0] = central.couch.get(db, id)) != null);
    assertNotNull(doc[0]);
    return doc[0];
  }

  private void await(String what, Supplier<Boolean> condition) {
    appliance.await(what, WAIT, condition);
  }


  private static Map<String, Object> annotations(JsonObject doc) {
    Map<String, Object> out = new java.util.HashMap<>();
    for (Object o : doc.getJsonArray("annotations")) {
      JsonObject kv = (JsonObject) o;
      out.put(kv.getString("key"), kv.getValue("value"));
    }
    return out;
  }

  /** Where test-all.sh installed the npm test packages: EDGEWHISK_TEST_NODE_MODULES, else its default cache. */
  static Path nodeModules() {
    String configured = System.getenv("EDGEWHISK_TEST_NODE_MODULES");
    Path modules = configured != null && !configured.isBlank() ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".cache", "edgewhisk-test", "node_modules");
    if (!Files.isRegularFile(modules.resolve("openwhisk/package.json"))) {
      throw new AssertionError("the openwhisk npm client is not installed in " + modules
          + " (packaging/test-all.sh installs it; or set EDGEWHISK_TEST_NODE_MODULES)");
    }
    return modules;
  }
}
