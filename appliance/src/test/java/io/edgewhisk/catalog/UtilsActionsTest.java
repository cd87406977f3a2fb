package io.edgewhisk.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs each {@code /whisk.system/utils} action's source with the host's Node.js, as the nodejs runtime runs
 * it (a global {@code main} taking the parameters), and checks its result against what OpenWhisk's catalog
 * answers. Fails, not skips, when {@code node} is missing.
 */
class UtilsActionsTest {
  /** Reads the source on stdin, defines it as the runtime would, prints main's result as JSON. */
  private static final String HARNESS = String.join("\n",
      "const source = require('fs').readFileSync(0, 'utf8');",
      "const main = new Function(source + '\\nreturn main;')();",
      "Promise.resolve().then(() => main(JSON.parse(process.argv[1])))",
      "  .then(r => process.stdout.write(JSON.stringify(r)),",
      "        e => { process.stderr.write(String(e)); process.exit(3); });");

  /** What one run answered: the exit code and its output. */
  private record Run(int exit, String out, String err) {
    JsonObject result() {
      assertEquals(0, exit, () -> "node failed: " + err);
      return new JsonObject(out);
    }
  }

  @BeforeAll
  static void nodeIsInstalled() throws Exception {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        fail("`node --version` failed: the utils tests need Node.js on the PATH");
      }
    } catch (IOException e) {
      fail("Node.js (`node`) is not on the PATH: the utils tests need it", e);
    }
  }

  private static Run run(String action, JsonObject params) throws Exception {
    String source = CatalogDefinitions.resource(CatalogDefinitions.RESOURCES + "utils/" + action + ".js");
    Process p = new ProcessBuilder("node", "-e", HARNESS, params.encode()).start();
    try {
      p.getOutputStream().write(source.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        fail("node did not finish running " + action);
      }
      return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
          new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
    }
  }

  private static JsonObject result(String action, String params) throws Exception {
    return run(action, new JsonObject(params)).result();
  }

  @Test
  void echoAnswersItsParameters() throws Exception {
    assertEquals(new JsonObject("{\"payload\":\"Five fuzzy felines\"}"), result("echo", "{\"payload\":\"Five fuzzy felines\"}"));
    assertEquals(new JsonObject("{\"a\":1,\"b\":[1,{\"c\":null}]}"), result("echo", "{\"a\":1,\"b\":[1,{\"c\":null}]}"));
    assertEquals(new JsonObject(), result("echo", "{}"));
  }

  @Test
  void catJoinsLinesWithNewLinesAndDropsTheRest() throws Exception {
    assertEquals(new JsonObject("{\"lines\":[4,2,3],\"payload\":\"4\\n2\\n3\"}"), result("cat", "{\"lines\":[4,2,3],\"x\":1}"));
    assertEquals(new JsonObject("{\"lines\":[],\"payload\":\"\"}"), result("cat", "{}"));
  }

  @Test
  void sortSortsAsStringsAndCounts() throws Exception {
    assertEquals(new JsonObject("{\"lines\":[2,3,4],\"length\":3}"), result("sort", "{\"lines\":[4,2,3]}"));
    // JavaScript's default sort compares strings: upper case first, 10 before 9
    assertEquals(new JsonObject("{\"lines\":[\"C\",\"a\",\"b\"],\"length\":3}"), result("sort", "{\"lines\":[\"b\",\"a\",\"C\"]}"));
    assertEquals(new JsonObject("{\"lines\":[1,10,9],\"length\":3}"), result("sort", "{\"lines\":[10,9,1]}"));
    assertEquals(new JsonObject("{\"lines\":[],\"length\":0}"), result("sort", "{}"));
  }

  @Test
  void headTakesTheFirstNumLinesOneByDefault() throws Exception {
    assertEquals(new JsonObject("{\"lines\":[4,2],\"num\":2}"), result("head", "{\"lines\":[4,2,3],\"num\":2}"));
    assertEquals(new JsonObject("{\"lines\":[\"a\"],\"num\":1}"), result("head", "{\"lines\":[\"a\",\"b\"]}"));
    assertEquals(new JsonObject("{\"lines\":[\"a\",\"b\"],\"num\":5}"), result("head", "{\"lines\":[\"a\",\"b\"],\"num\":5}"));
    assertEquals(new JsonObject("{\"lines\":[],\"num\":1}"), result("head", "{}"));
  }

  @Test
  void splitSplitsThePayloadAtTheSeparatorOrAtLineEnds() throws Exception {
    assertEquals(new JsonObject("{\"lines\":[\"one\",\"two\",\"three\"],\"payload\":\"one,two,three\"}"),
        result("split", "{\"payload\":\"one,two,three\",\"separator\":\",\"}"));
    assertEquals(new JsonObject("{\"lines\":[\"a\",\"b\",\"\",\"c\"],\"payload\":\"a\\r\\nb\\n\\nc\"}"),
        result("split", "{\"payload\":\"a\\r\\nb\\n\\nc\"}"));
    // a string separator is literal, not a regular expression; the payload is answered as given
    assertEquals(new JsonObject("{\"lines\":[\"a\",\"b\"],\"payload\":\"a.b\"}"), result("split", "{\"payload\":\"a.b\",\"separator\":\".\"}"));
    assertEquals(new JsonObject("{\"lines\":[\"12\",\"45\"],\"payload\":12345}"), result("split", "{\"payload\":12345,\"separator\":\"3\"}"));
    // no payload is an error, as in OpenWhisk's catalog
    Run missing = run("split", new JsonObject());
    assertNotEquals(0, missing.exit());
    assertTrue(missing.err().contains("TypeError"), missing.err());
  }

  @Test
  void dateAnswersTheCurrentTimeAsAnIsoString() throws Exception {
    Instant before = Instant.now();
    String date = result("date", "{}").getString("date");
    Instant answered = Instant.parse(date);
    assertTrue(date.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), date);
    assertTrue(!answered.isBefore(before.minusMillis(1)) && answered.isBefore(before.plus(Duration.ofSeconds(20))), date);
  }

  @Test
  void everyUtilsActionOfTheCatalogIsTested() {
    List<String> utils = CatalogDefinitions.load("nodejs:18").entities().stream()
        .filter(e -> "utils".equals(e.fqn().pkg())).map(e -> e.fqn().name()).sorted().toList();
    assertEquals(List.of("cat", "date", "echo", "head", "sort", "split"), utils);
  }
}
