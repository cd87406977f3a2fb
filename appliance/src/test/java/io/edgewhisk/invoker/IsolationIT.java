package io.edgewhisk.invoker;

import static io.edgewhisk.invoker.InvokerTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.model.Action;
import io.edgewhisk.model.ActionLimits;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.ActivationId;
import io.edgewhisk.model.ActivationRequest;
import io.edgewhisk.model.Exec;
import io.edgewhisk.model.FullyQualifiedName;
import io.edgewhisk.model.Identity;
import io.edgewhisk.model.KeyValues;
import io.edgewhisk.model.NamespaceLimits;
import io.edgewhisk.model.SemVer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Code of one namespace cannot reach another namespace's containers: an action of {@code alice} probes a
 * warm container and a stem cell that {@code guest} would use, at their addresses and through the host's
 * side of its own network. Every probe goes to containers and networks this test's invoker made (or to
 * 127.0.0.1 inside alice's own container), never to any other address.
 */
class IsolationIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Identity ALICE = new Identity("alice", "alice", "5b0cd0a9-6a0e-4b07-9f3b-4d1f2a3c9e11", "alicekey",
      NamespaceLimits.NONE);
  /** POSTs each target and reports what came back: a status and body, or the connection's error. */
  private static final String PROBE = """
      const http = require('http');
      function probe(t) {
        return new Promise((resolve) => {
          const data = JSON.stringify(t.body || {});
          const req = http.request({ host: t.host, port: t.port, path: t.path, method: 'POST', timeout: 2500,
            headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } }, (res) => {
            let body = '';
            res.on('data', (c) => body += c);
            res.on('end', () => resolve({ status: res.statusCode, body }));
          });
          req.on('timeout', () => { req.destroy(); resolve({ error: 'timeout' }); });
          req.on('error', (e) => resolve({ error: e.code || String(e) }));
          req.end(data);
        });
      }
      async function main(a) {
        const out = {};
        for (const t of a.targets) out[t.name] = await probe(t);
        return out;
      }
      """;

  private Vertx vertx;
  private PodmanInvoker invoker;
  private String instance;

  @BeforeAll
  static void images() throws Exception {
    PodmanTesting.requireImages(PodmanTesting.NODEJS);
  }

  @BeforeEach
  void setUp() throws Exception {
    vertx = InvokerTesting.strictVertx();
    instance = "iso-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
    invoker = (PodmanInvoker) await(PodmanInvoker.start(vertx, InvokerTesting.config(instance,
        Map.of("prewarm", true, "user-memory", 2048, "pause-grace", "10m"))), WAIT);
  }

  @AfterEach
  void tearDown() throws Exception {
    await(invoker.close(), WAIT);
    await(vertx.close(), WAIT);
    assertEquals(List.of(), PodmanTesting.containersOf(instance), "containers left behind");
    assertEquals(List.of(), PodmanTesting.networksOf(instance), "networks left behind");
  }

  @Test
  void anotherNamespacesContainersAndStemCellsCannotBeReached() throws Exception {
    // guest's warm container, holding guest's key
    var vault = InvokerTesting.nodejs("vault", "function main() { return {key: process.env.__OW_API_KEY}; }");
    Activation warm = await(invoker.invoke(InvokerTesting.request(vault, new JsonObject())), WAIT);
    assertEquals(InvokerTesting.GUEST.authKey(), ((JsonObject) warm.response().result()).getString("key"));
    ContainerProxy guests = containers().stream().filter(p -> p.view().action() != null).findFirst().orElseThrow();

    // alice's action runs in a container of its own (a stem cell taken now); it probes the others
    Action probe = new Action(FullyQualifiedName.of("alice", "probe"), SemVer.INITIAL, false,
        new Exec.Code("nodejs:18", PROBE, false, null, null), KeyValues.EMPTY, KeyValues.EMPTY, ActionLimits.DEFAULT, 0L);
    await(invoker.invoke(alice(probe, new JsonObject().put("targets", new JsonArray()))), WAIT);
    ContainerProxy alices = containers().stream()
        .filter(p -> p.view().action() != null && "alice".equals(p.view().action().namespace())).findFirst().orElseThrow();
    // a stem cell that guest's next cold start would take
    ContainerProxy cell = awaitStemCells(1).get(0);
    String aliceGateway = PodmanTesting.gatewayOf(alices.containerId());
    String guestAddress = PodmanTesting.addressOf(guests.containerId());
    String cellAddress = PodmanTesting.addressOf(cell.containerId());
    String aliceAddress = PodmanTesting.addressOf(alices.containerId());
    JsonObject run = new JsonObject().put("value", new JsonObject()).put("api_host", "http://" + aliceAddress + ":9");
    JsonObject plant = new JsonObject().put("value", new JsonObject().put("code", "function main() { return {planted: true}; }"));
    // the controls: the probe does leave alice's container (to a server of this test on the host's side of
    // alice's own network), and does reach a proxy, its own, which refuses it for want of the secret
    io.vertx.core.http.HttpServer host = await(vertx.createHttpServer()
        .requestHandler(req -> req.response().end("host")).listen(0, aliceGateway), WAIT);
    JsonArray targets = new JsonArray()
        .add(target("hostControl", aliceGateway, host.actualPort(), "/", new JsonObject()))
        .add(target("guestRun", guestAddress, 8080, "/run", run))
        .add(target("guestInit", guestAddress, 8080, "/init", plant))
        .add(target("cellInit", cellAddress, 8080, "/init", plant))
        .add(target("guestPublishedViaGateway", aliceGateway, guests.port(), "/run", run))
        .add(target("cellPublishedViaGateway", aliceGateway, cell.port(), "/init", plant))
        .add(target("guestPublishedOnLoopback", "127.0.0.1", guests.port(), "/run", run))
        .add(target("ownProxy", "127.0.0.1", 8080, "/init", plant));
    Activation a = await(invoker.invoke(alice(probe, new JsonObject().put("targets", targets))), WAIT);
    await(host.close(), WAIT);
    assertEquals(0, a.response().statusCode(), a.toJson().encode());
    JsonObject seen = (JsonObject) a.response().result();
    assertEquals("host", seen.getJsonObject("hostControl").getString("body"), seen.encodePrettily());
    assertEquals(403, seen.getJsonObject("ownProxy").getInteger("status"), seen.encodePrettily());
    assertTrue(seen.getJsonObject("ownProxy").getString("body").contains("serves only the invoker"), seen.encodePrettily());
    for (String name : List.of("guestRun", "guestInit", "cellInit", "guestPublishedViaGateway", "cellPublishedViaGateway",
        "guestPublishedOnLoopback")) {
      JsonObject outcome = seen.getJsonObject(name);
      assertNotNull(outcome.getString("error"), name + " was reached: " + seen.encodePrettily());
    }

    // guest's stem cells were not planted and guest's container is as it was
    var fresh = InvokerTesting.nodejs("fresh", "function main() { return {mine: true}; }");
    Activation f = await(invoker.invoke(InvokerTesting.request(fresh, new JsonObject())), WAIT);
    assertEquals(new JsonObject().put("mine", true), f.response().result(), f.toJson().encode());
    assertEquals(InvokerTesting.GUEST.authKey(),
        ((JsonObject) await(invoker.invoke(InvokerTesting.request(vault, new JsonObject())), WAIT).response().result()).getString("key"));
  }

  @Test
  void everyContainerHasAnIsolatedNetworkOfItsOwn() throws Exception {
    List<ContainerProxy> cells = awaitStemCells(2);
    List<String> networks = PodmanTesting.networksOf(instance);
    assertEquals(2, networks.size(), networks.toString());
    for (String n : networks) {
      assertEquals("true", PodmanTesting.podman("network", "inspect", "-f", "{{index .Options \"isolate\"}}", n), n);
    }
    assertTrue(!PodmanTesting.gatewayOf(cells.get(0).containerId()).equals(PodmanTesting.gatewayOf(cells.get(1).containerId())),
        "two stem cells, two networks");
  }

  @Test
  void withoutANetworkEachContainerIsOnAnInternalOneAndStillServed() throws Exception {
    await(invoker.close(), WAIT);
    invoker = (PodmanInvoker) await(PodmanInvoker.start(vertx, InvokerTesting.config(instance,
        Map.of("prewarm", false, "network", false))), WAIT);
    var hello = InvokerTesting.nodejs("hello", "function main(a) { return {hello: a.name}; }");
    Activation a = await(invoker.invoke(InvokerTesting.request(hello, new JsonObject().put("name", "inside"))), WAIT);
    assertEquals(new JsonObject().put("hello", "inside"), a.response().result(), a.toJson().encode());
    List<String> networks = PodmanTesting.networksOf(instance);
    assertEquals(1, networks.size(), networks.toString());
    assertEquals("true", PodmanTesting.podman("network", "inspect", "-f", "{{.Internal}}", networks.get(0)));
    assertEquals("true", PodmanTesting.podman("network", "inspect", "-f", "{{index .Options \"isolate\"}}", networks.get(0)));
  }

  private static JsonObject target(String name, String host, int port, String path, JsonObject body) {
    return new JsonObject().put("name", name).put("host", host).put("port", port).put("path", path).put("body", body);
  }

  private static ActivationRequest alice(Action action, JsonObject args) {
    return new ActivationRequest(ActivationId.random(), "tid-" + System.nanoTime(), ALICE, action, args, null,
        System.currentTimeMillis());
  }

  private List<ContainerProxy> containers() throws Exception {
    return await(Future.<List<ContainerProxy>>future(p -> invoker.pool().context().runOnContext(v ->
        p.complete(invoker.pool().containers()))), WAIT);
  }

  private List<ContainerProxy> awaitStemCells(int n) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      List<ContainerProxy> cells = containers().stream().filter(p -> p.view().action() == null && p.view().started()).toList();
      if (cells.size() >= n) {
        return cells;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no " + n + " stem cells within a minute");
  }
}
