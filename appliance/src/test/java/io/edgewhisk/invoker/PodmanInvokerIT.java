package io.edgewhisk.invoker;

import static io.edgewhisk.invoker.InvokerTesting.await;
import static io.edgewhisk.invoker.InvokerTesting.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.model.ActionLimits;
import io.edgewhisk.model.Activation;
import io.edgewhisk.model.Exec;
import io.edgewhisk.model.KeyValue;
import io.edgewhisk.model.KeyValues;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The invoker on real Podman with the appliance's runtime images: what a user of the actions sees. */
class PodmanInvokerIT {
  static final Duration WAIT = Duration.ofSeconds(90);
  private static final String STAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z ";

  private Vertx vertx;
  private InvokerTesting.BlockedThreads blocked;
  private PodmanInvoker invoker;
  private String instance;

  @BeforeAll
  static void images() throws Exception {
    PodmanTesting.requireImages(PodmanTesting.NODEJS, PodmanTesting.PYTHON, PodmanTesting.SKELETON);
  }

  @BeforeEach
  void setUp() throws Exception {
    vertx = InvokerTesting.strictVertx();
    instance = "it-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
    start(Map.of());
  }

  private void start(Map<String, Object> overrides) throws Exception {
    Map<String, Object> c = new java.util.HashMap<>(Map.of("user-memory", 1024, "pause-grace", "1s", "idle-timeout", "30s",
        "prewarm", false));
    c.putAll(overrides);
    invoker = (PodmanInvoker) await(PodmanInvoker.start(vertx, InvokerTesting.config(instance, c)), WAIT);
    assertTrue(invoker.isReady(), invoker.problem());
    blocked = new InvokerTesting.BlockedThreads();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (invoker != null) {
      await(invoker.close(), WAIT);
    }
    await(vertx.close(), WAIT);
    assertEquals(List.of(), PodmanTesting.containersOf(instance), "containers left behind");
    assertEquals(List.of(), PodmanTesting.networksOf(instance), "networks left behind");
    if (blocked != null) {
      assertEquals(0, blocked.eventLoopWarnings(), "an event loop was blocked");
      blocked.close();
    }
  }

  private Activation invoke(io.edgewhisk.model.Action action, JsonObject args) throws Exception {
    return await(invoker.invoke(request(action, args)), WAIT);
  }

  private List<ContainerProxy> containers() throws Exception {
    return await(Future.<List<ContainerProxy>>future(p -> invoker.pool().context().runOnContext(v ->
        p.complete(invoker.pool().containers()))), WAIT);
  }

  private static JsonObject result(Activation a) {
    return (JsonObject) a.response().result();
  }

  @Test
  void helloNodejsColdThenWarm() throws Exception {
    var action = InvokerTesting.nodejs("hello",
        "function main(args) { console.log('hello', args.name); console.error('to stderr');"
            + " return {greeting: 'Hello ' + args.name, key: process.env.__OW_API_KEY, name: process.env.__OW_ACTION_NAME,"
            + " host: process.env.__OW_API_HOST}; }");
    Activation a = invoke(action, new JsonObject().put("name", "edge"));
    assertEquals(0, a.response().statusCode(), a.toJson().encode());
    assertEquals("Hello edge", result(a).getString("greeting"));
    assertEquals(InvokerTesting.GUEST.authKey(), result(a).getString("key"));
    assertEquals("/guest/hello", result(a).getString("name"));
    assertEquals("http://host.containers.internal:3233", result(a).getString("host"));
    assertEquals(2, a.logs().size(), a.logs().toString());
    assertTrue(a.logs().get(0).matches(STAMP + "stdout: hello edge"), a.logs().get(0));
    assertTrue(a.logs().get(1).matches(STAMP + "stderr: to stderr"), a.logs().get(1));
    assertEquals("guest/hello", a.annotations().get("path"));
    assertEquals("nodejs:18", a.annotations().get("kind"));
    assertEquals(false, a.annotations().get("timeout"));
    assertNotNull(a.annotations().get("initTime"), "a cold start reports initTime");
    assertNotNull(a.annotations().get("waitTime"));
    assertEquals("guest", a.namespace());
    assertEquals("hello", a.name());
    assertEquals(a.end() - a.start(), a.duration());

    Activation b = invoke(action, new JsonObject().put("name", "again"));
    assertEquals("Hello again", result(b).getString("greeting"));
    assertNull(b.annotations().get("initTime"), "a warm container needs no init");
    assertTrue(b.logs().get(0).endsWith("stdout: hello again"), b.logs().toString());
    assertEquals(1, containers().size(), "the warm container was reused");
  }

  @Test
  void helloPython() throws Exception {
    var action = InvokerTesting.action("py", new Exec.Code("python:default", "def main(args):\n    print('from python')\n"
        + "    return {'greeting': 'Hello ' + args.get('name', 'stranger')}\n", false, null, null),
        ActionLimits.DEFAULT, KeyValues.EMPTY, KeyValues.EMPTY);
    Activation a = invoke(action, new JsonObject().put("name", "python"));
    assertEquals(0, a.response().statusCode(), a.toJson().encode());
    assertEquals("Hello python", result(a).getString("greeting"));
    assertEquals("python:3.11", a.annotations().get("kind"));
    assertTrue(a.logs().get(0).endsWith("stdout: from python"), a.logs().toString());
  }

  @Test
  void zipActionsWithDependencies() throws Exception {
    String nodeZip = PodmanTesting.zip(Map.of(
        "package.json", "{\"name\":\"z\",\"main\":\"lib/entry.js\"}",
        "lib/entry.js", "const pad = require('padder'); exports.main = (a) => ({padded: pad(a.s, 6)});",
        "node_modules/padder/index.js", "module.exports = (s, n) => s.padStart(n, '*');"));
    var node = InvokerTesting.action("nodezip", new Exec.Code("nodejs:18", nodeZip, true, null, null),
        ActionLimits.DEFAULT, KeyValues.EMPTY, KeyValues.EMPTY);
    assertEquals("***abc", result(invoke(node, new JsonObject().put("s", "abc"))).getString("padded"));

    String pyZip = PodmanTesting.zip(Map.of(
        "__main__.py", "from helper import shout\ndef main(args):\n    return {'loud': shout(args['s'])}\n",
        "helper/__init__.py", "def shout(s):\n    return s.upper() + '!'\n"));
    var py = InvokerTesting.action("pyzip", new Exec.Code("python:3.11", pyZip, true, null, null),
        ActionLimits.DEFAULT, KeyValues.EMPTY, KeyValues.EMPTY);
    Activation a = invoke(py, new JsonObject().put("s", "hey"));
    assertEquals("HEY!", result(a).getString("loud"), a.toJson().encode());
  }

  @Test
  void shellScriptAndNativeBinaryThroughTheSkeleton() throws Exception {
    var script = InvokerTesting.action("sh", new Exec.Code("blackbox",
        "#!/bin/sh\necho 'a log line'\necho \"{\\\"args\\\": $1}\"\n", false, null, "action-skeleton"),
        ActionLimits.DEFAULT, KeyValues.EMPTY, KeyValues.EMPTY);
    Activation a = invoke(script, new JsonObject().put("x", 1));
    assertEquals(0, a.response().statusCode(), a.toJson().encode());
    assertEquals(1, result(a).getJsonObject("args").getInteger("x"));
    assertTrue(a.logs().get(0).endsWith("stdout: a log line"), a.logs().toString());
    assertEquals("blackbox", a.annotations().get("kind"));

    // a native binary of the host (Debian, like the image): echo prints the arguments back as the result
    byte[] echo = Files.readAllBytes(Path.of("/bin/echo"));
    var binary = InvokerTesting.action("native", new Exec.Code("blackbox", PodmanTesting.zip(Map.of("exec", echo)), true, null,
        PodmanTesting.SKELETON), ActionLimits.DEFAULT, KeyValues.EMPTY, KeyValues.EMPTY);
    Activation b = invoke(binary, new JsonObject().put("native", true));
    assertEquals(0, b.response().statusCode(), b.toJson().encode());
    assertEquals(true, result(b).getBoolean("native"));
  }

  @Test
  void applicationAndDeveloperErrors() throws Exception {
    Activation app = invoke(InvokerTesting.nodejs("apperr", "function main() { return {error: 'not found'}; }"), new JsonObject());
    assertEquals(1, app.response().statusCode());
    assertEquals("not found", result(app).getString("error"));

    Activation thrown = invoke(InvokerTesting.nodejs("throws", "function main() { throw new Error('boom'); }"), new JsonObject());
    assertEquals(2, thrown.response().statusCode(), thrown.toJson().encode());
    assertTrue(result(thrown).getString("error").contains("boom"), thrown.toJson().encode());

    Activation init = invoke(InvokerTesting.nodejs("syntax", "function main( { return 1 }"), new JsonObject());
    assertEquals(2, init.response().statusCode(), init.toJson().encode());
    assertNotNull(result(init).getString("error"));

    Activation notJson = invoke(InvokerTesting.nodejs("str", "function main() { return 'a string'; }"), new JsonObject());
    assertEquals(2, notJson.response().statusCode(), notJson.toJson().encode());
  }

  @Test
  void resultOverTheLimitIsCut() throws Exception {
    Activation a = invoke(InvokerTesting.nodejs("big", "function main() { return {big: 'x'.repeat(1100000)}; }"),
        new JsonObject());
    assertEquals(1, a.response().statusCode());
    String error = result(a).getString("error");
    assertTrue(error.startsWith("The action produced a response that exceeded the allowed length: 1100010 > 1048576 bytes."),
        error.substring(0, 200));
  }

  @Test
  void timeLimit() throws Exception {
    var action = InvokerTesting.action("slow", new Exec.Code("nodejs:18",
        "function main() { console.log('started'); return new Promise(r => setTimeout(() => r({}), 10000)); }", false, null, null),
        new ActionLimits(1000, 256, 10, 1), KeyValues.EMPTY, KeyValues.EMPTY);
    long t0 = System.currentTimeMillis();
    Activation a = invoke(action, new JsonObject());
    assertTrue(System.currentTimeMillis() - t0 < 8000);
    assertEquals(2, a.response().statusCode());
    assertEquals("The action exceeded its time limits of 1000 milliseconds.", result(a).getString("error"));
    assertEquals(true, a.annotations().get("timeout"));
    assertTrue(a.logs().stream().anyMatch(l -> l.endsWith("stdout: started")), a.logs().toString());
    // the container was destroyed: the next activation starts a fresh one
    Activation b = invoke(action, new JsonObject());
    assertNotNull(b.annotations().get("initTime"));
  }

  @Test
  void memoryLimit() throws Exception {
    var action = InvokerTesting.action("hog", new Exec.Code("nodejs:18",
        "function main() { const a = []; for (;;) a.push(Buffer.alloc(16 * 1024 * 1024, 1)); }", false, null, null),
        new ActionLimits(30000, 128, 10, 1), KeyValues.EMPTY, KeyValues.EMPTY);
    Activation a = invoke(action, new JsonObject());
    assertEquals(2, a.response().statusCode(), a.toJson().encode());
    assertEquals("The action exhausted its memory and was aborted.", result(a).getString("error"));
  }

  @Test
  void logsAreCutTruncatedAndInterleaved() throws Exception {
    var action = InvokerTesting.nodejs("logs",
        "function main(a) { for (let i = 0; i < a.n; i++) { console.log('out ' + i); console.error('err ' + i); } return {}; }");
    Activation a = invoke(action, new JsonObject().put("n", 50));
    assertEquals(100, a.logs().size());
    List<String> out = a.logs().stream().filter(l -> l.contains(" stdout: ")).toList();
    List<String> err = a.logs().stream().filter(l -> l.contains(" stderr: ")).toList();
    for (int i = 0; i < 50; i++) {
      assertTrue(out.get(i).endsWith("stdout: out " + i));
      assertTrue(err.get(i).endsWith("stderr: err " + i));
    }
    // the next activation gets only its own lines
    Activation b = invoke(action, new JsonObject().put("n", 1));
    assertEquals(2, b.logs().size(), b.logs().toString());

    var chatty = InvokerTesting.action("chatty", new Exec.Code("nodejs:18",
        "function main() { const l = 'y'.repeat(1000); for (let i = 0; i < 2000; i++) console.log(l); return {done: true}; }",
        false, null, null), new ActionLimits(60000, 256, 1, 1), KeyValues.EMPTY, KeyValues.EMPTY);
    Activation c = invoke(chatty, new JsonObject());
    assertEquals(true, result(c).getBoolean("done"));
    String last = c.logs().get(c.logs().size() - 1);
    assertTrue(last.endsWith("stderr: Logs were truncated because the total bytes size exceeds the limit of 1048576 bytes."), last);
    assertTrue(c.logs().size() > 1000 && c.logs().size() <= 1049, "lines: " + c.logs().size());
  }

  @Test
  void concurrentActivationsShareOneContainer() throws Exception {
    var action = InvokerTesting.action("conc", new Exec.Code("nodejs:18",
        "function main(a) { console.log('run ' + a.i); return new Promise(r => setTimeout(() => r({i: a.i}), 1000)); }",
        false, null, null),
        new ActionLimits(60000, 256, 10, 4), KeyValues.EMPTY, KeyValues.EMPTY);
    invoke(action, new JsonObject().put("i", -1)); // warm
    long t0 = System.currentTimeMillis();
    List<Future<Activation>> all = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      all.add(invoker.invoke(request(action, new JsonObject().put("i", i))));
    }
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Activation a = await(all.get(i), WAIT);
      assertEquals(i, result(a).getInteger("i"));
      // the lines of activations that overlapped cannot be told apart: each record says so, last
      List<String> logs = a.logs();
      assertTrue(logs.get(logs.size() - 1).matches(STAMP + "stderr: Other activations ran in this"
          + " container at the same time; their logs cannot be told apart from these\\."), logs.toString());
      lines.addAll(logs.subList(0, logs.size() - 1));
    }
    assertEquals(4, lines.size(), lines.toString());
    for (int i = 0; i < 4; i++) {
      String line = STAMP + "stdout: run " + i;
      assertEquals(1, lines.stream().filter(l -> l.matches(line)).count(), lines.toString());
    }
    assertTrue(System.currentTimeMillis() - t0 < 3000, "ran at the same time");
    assertEquals(1, containers().size());
  }

  @Test
  void idleContainerIsPausedAndResumed() throws Exception {
    var action = InvokerTesting.nodejs("pausable", "let n = 0; function main() { return {n: ++n}; }");
    assertEquals(1, result(invoke(action, new JsonObject())).getInteger("n"));
    ContainerProxy c = containers().get(0);
    long deadline = System.currentTimeMillis() + 10_000;
    while (!"paused".equals(PodmanTesting.stateOf(c.containerId())) && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    assertEquals("paused", PodmanTesting.stateOf(c.containerId()));
    Activation b = invoke(action, new JsonObject());
    assertEquals(2, result(b).getInteger("n"), "the same container, resumed");
    assertEquals("running", PodmanTesting.stateOf(c.containerId()));
  }

  @Test
  void initParametersGoToTheEnvironmentNotTheArguments() throws Exception {
    var action = InvokerTesting.action("initp", new Exec.Code("nodejs:18",
        "function main(a) { return {env: process.env.SECRET || null, arg: a.SECRET || null, other: a.other}; }", false, null, null),
        ActionLimits.DEFAULT, new KeyValues(List.of(new KeyValue("SECRET", "s3", true), KeyValue.of("other", 1))), KeyValues.EMPTY);
    JsonObject r = result(invoke(action, new JsonObject().put("SECRET", "s3").put("other", 1)));
    assertEquals("s3", r.getString("env"));
    assertNull(r.getValue("arg"));
    assertEquals(1, r.getInteger("other"));
  }

  @Test
  void noApiKeyWhenTheActionSaysSo() throws Exception {
    var action = InvokerTesting.action("nokey", new Exec.Code("nodejs:18",
        "function main() { return {key: process.env.__OW_API_KEY || 'none'}; }", false, null, null),
        ActionLimits.DEFAULT, KeyValues.EMPTY, new KeyValues(List.of(KeyValue.of("provide-api-key", false))));
    assertEquals("none", result(invoke(action, new JsonObject())).getString("key"));
  }

  @Test
  void evictsTheLeastRecentlyUsedWhenMemoryIsFull() throws Exception {
    await(invoker.close(), WAIT);
    start(Map.of("user-memory", 512));
    var a = InvokerTesting.nodejs("a", "function main() { return {a: 1}; }");
    var b = InvokerTesting.nodejs("b", "function main() { return {b: 1}; }");
    var c = InvokerTesting.nodejs("c", "function main() { return {c: 1}; }");
    invoke(a, new JsonObject());
    invoke(b, new JsonObject());
    assertEquals(2, containers().size());
    String first = containers().get(0).containerId();
    Activation r = invoke(c, new JsonObject());
    assertEquals(1, result(r).getInteger("c"));
    List<ContainerProxy> now = containers();
    assertEquals(2, now.size());
    assertFalse(now.stream().anyMatch(p -> p.containerId().equals(first)), "the least recently used went");
  }

  @Test
  void waitsInTheBufferWhenNothingCanBeHad() throws Exception {
    await(invoker.close(), WAIT);
    start(Map.of("user-memory", 256));
    var slow = InvokerTesting.nodejs("slow1", "function main() { return new Promise(r => setTimeout(() => r({s: 1}), 1500)); }");
    var other = InvokerTesting.nodejs("other", "function main() { return {o: 1}; }");
    Future<Activation> first = invoker.invoke(request(slow, new JsonObject()));
    Thread.sleep(300);
    Activation second = invoke(other, new JsonObject());
    assertEquals(1, result(second).getInteger("o"));
    assertTrue(((Number) second.annotations().get("waitTime")).longValue() >= 800, second.toJson().encode());
    assertEquals(1, result(await(first, WAIT)).getInteger("s"));
  }

  @Test
  void stemCellsAreUsedAndRefilled() throws Exception {
    await(invoker.close(), WAIT);
    start(Map.of("prewarm", true, "user-memory", 1024));
    List<ContainerProxy> cells = awaitStemCells(2);
    var action = InvokerTesting.nodejs("fromcell", "function main() { return {ok: true}; }");
    Activation a = invoke(action, new JsonObject());
    assertEquals(true, result(a).getBoolean("ok"));
    assertNotNull(a.annotations().get("initTime"));
    List<ContainerProxy> now = containers();
    assertEquals(3, now.size(), "two stem cells (one new) and the warm container");
    ContainerProxy used = now.stream().filter(p -> p.view().action() != null).findFirst().orElseThrow();
    assertTrue(cells.stream().anyMatch(p -> p.name().equals(used.name())), "the warm container was a stem cell");
    awaitStemCells(2);
  }

  private List<ContainerProxy> awaitStemCells(int n) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      List<ContainerProxy> cells = containers().stream()
          .filter(p -> p.view().action() == null && p.view().started()).toList();
      if (cells.size() >= n) {
        return cells;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no " + n + " stem cells within a minute");
  }

  @Test
  void unknownKindIsAnInternalError() throws Exception {
    var action = InvokerTesting.action("cobol", new Exec.Code("cobol:85", "x", false, null, null), ActionLimits.DEFAULT,
        KeyValues.EMPTY, KeyValues.EMPTY);
    Activation a = invoke(action, new JsonObject());
    assertEquals(3, a.response().statusCode());
  }

  @Test
  void notReadyWithoutPodman() throws Exception {
    InvokerConfig c = InvokerTesting.config(instance + "-none", Map.of("podman-socket", "/tmp/no-such-dir/podman.sock",
        "start-podman-service", false));
    Invoker none = await(PodmanInvoker.start(vertx, c), WAIT);
    try {
      assertFalse(none.isReady());
      Throwable t = none.invoke(request(InvokerTesting.nodejs("x", "function main() {}"), new JsonObject()))
          .toCompletionStage().toCompletableFuture().handle((r, e) -> e).get();
      Throwable cause = t instanceof java.util.concurrent.CompletionException ? t.getCause() : t;
      assertEquals(503, ((io.edgewhisk.model.WhiskException) cause).status());
      assertTrue(((PodmanInvoker) none).problem().contains("/tmp/no-such-dir/podman.sock"));
    } finally {
      await(none.close(), WAIT);
    }
  }
}
