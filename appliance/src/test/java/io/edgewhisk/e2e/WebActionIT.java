package io.edgewhisk.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.api.RealAppliance;
import io.edgewhisk.api.WhiskClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Web actions on the real appliance, called as a browser or a webhook would: with the real {@code curl}
 * binary, without OpenWhisk credentials unless the action asks for them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebActionIT {
  private static final String NS = "/api/v1/namespaces/_/";
  private final InstanceContainers containers = new InstanceContainers("web-it");
  private RealAppliance appliance;
  private WhiskClient wsk;
  private String curl;
  private String web;

  @BeforeAll
  void start() throws Exception {
    curl = ProcessRun.requireOnPath("curl");
    appliance = new RealAppliance("edgewhisk.invoker { pause-grace = 2s, user-memory = 1536 }, " + containers.setting());
    wsk = new WhiskClient(appliance.port(), appliance.guestKey());
    web = "http://127.0.0.1:" + appliance.port() + "/api/v1/web/guest/default/";
    action("echo", "function main(p) { return {greeting: 'hi ' + (p.name || 'nobody'), method: p.__ow_method, "
        + "path: p.__ow_path, agent: p.__ow_headers['user-agent'], value: p.value, user: p.__ow_user}; }",
        kv("web-export", true));
    action("page", "function main(p) { return {statusCode: 201, headers: {'X-Edge': 'whisk', 'Content-Type': 'text/plain'}, "
        + "body: 'made ' + p.name}; }", kv("web-export", true));
    action("words", "function main(p) { return {text: 'plain ' + p.name}; }", kv("web-export", true));
    action("secret", "function main(p) { return {opened: true}; }", kv("web-export", true), kv("require-whisk-auth", "s3cr3t"));
    action("members", "function main(p) { return {user: p.__ow_user}; }", kv("web-export", true), kv("require-whisk-auth", true));
    action("hidden", "function main(p) { return {seen: true}; }");
    action("raw", "function main(p) { return {query: p.__ow_query, body: p.__ow_body, name: p.name === undefined ? null : p.name, "
        + "method: p.__ow_method}; }", kv("web-export", true), kv("raw-http", true));
  }

  @AfterAll
  void stop() {
    if (appliance != null) {
      appliance.close();
    }
    containers.assertNoneLeft();
  }

  private static JsonObject kv(String key, Object value) {
    return new JsonObject().put("key", key).put("value", value);
  }

  private void action(String name, String code, JsonObject... annotations) {
    WhiskClient.Reply r = wsk.put(NS + "actions/" + name + "?overwrite=true", new JsonObject()
        .put("exec", new JsonObject().put("kind", "nodejs:default").put("code", code))
        .put("annotations", new JsonArray(List.of((Object[]) annotations))));
    assertEquals(200, r.status(), r::toString);
  }

  /** One answer of curl: status, headers (names lower case) and body. */
  record Answer(int status, Map<String, String> headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** Runs curl with these arguments (the URL last); {@code -i} puts the status line and headers first. */
  private Answer curl(String... args) {
    List<String> command = new ArrayList<>(List.of(curl, "-sS", "-i", "--noproxy", "*", "--max-time", "60"));
    command.addAll(List.of(args));
    ProcessRun run = ProcessRun.of(command, Map.of(), 90);
    assertEquals(0, run.exitCode(), run::toString);
    String out = run.stdout();
    int split = out.indexOf("\r\n\r\n");
    assertTrue(split > 0, out);
    String[] head = out.substring(0, split).split("\r\n");
    int status = Integer.parseInt(head[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < head.length; i++) {
      int colon = head[i].indexOf(':');
      headers.put(head[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).strip());
    }
    return new Answer(status, headers, out.substring(split + 4));
  }

  @Test
  void jsonExtensionAnswersTheResultWithTheRequestContext() {
    Answer a = curl("-A", "edge-test/1.0", web + "echo.json?name=Ada");
    assertEquals(200, a.status(), a::toString);
    assertTrue(a.header("content-type").startsWith("application/json"), a::toString);
    JsonObject result = a.json();
    assertEquals("hi Ada", result.getString("greeting"));
    assertEquals("get", result.getString("method"));
    assertEquals("", result.getString("path"));
    assertEquals("edge-test/1.0", result.getString("agent"));
    assertNull(result.getValue("user"), "an anonymous call has no __ow_user");
    assertTrue(a.header("x-openwhisk-activation-id").matches("[0-9a-f]{32}"), a::toString);
    assertEquals("*", a.header("access-control-allow-origin"), a::toString);

    Answer deeper = curl(web + "echo.json/some/where?name=Bo");
    assertEquals("/some/where", deeper.json().getString("path"));
    assertEquals("hi Bo", deeper.json().getString("greeting"));
  }

  @Test
  void aPostedJsonBodyBecomesArguments() {
    Answer a = curl("-X", "POST", "-H", "Content-Type: application/json", "--data-binary", "{\"name\":\"Cy\",\"value\":42}",
        web + "echo.json");
    assertEquals(200, a.status(), a::toString);
    assertEquals("hi Cy", a.json().getString("greeting"));
    assertEquals(42, a.json().getInteger("value"));
    assertEquals("post", a.json().getString("method"));

    Answer reserved = curl("-X", "POST", "-H", "Content-Type: application/json", "--data-binary", "{\"__ow_method\":\"get\"}",
        web + "echo.json");
    assertEquals(400, reserved.status(), reserved::toString);
    assertTrue(reserved.json().containsKey("error") && reserved.json().containsKey("code"), reserved::toString);
  }

  @Test
  void httpExtensionAnswersStatusHeadersAndBody() {
    for (String url : new String[] {web + "page.http?name=box", web + "page?name=box"}) {
      Answer a = curl(url);
      assertEquals(201, a.status(), a::toString);
      assertEquals("whisk", a.header("x-edge"), a::toString);
      assertTrue(a.header("content-type").startsWith("text/plain"), a::toString);
      assertEquals("made box", a.body());
    }
  }

  @Test
  void textExtensionAnswersTheTextField() {
    Answer a = curl(web + "words.text?name=Dee");
    assertEquals(200, a.status(), a::toString);
    assertTrue(a.header("content-type").startsWith("text/plain"), a::toString);
    assertEquals("plain Dee", a.body());
  }

  @Test
  void requireWhiskAuthWantsItsSecretInTheHeader() {
    Answer without = curl(web + "secret.json");
    assertEquals(401, without.status(), without::toString);
    assertEquals("The supplied authentication is invalid", without.json().getString("error"));
    assertEquals(401, curl("-H", "X-Require-Whisk-Auth: wrong", web + "secret.json").status());
    Answer with = curl("-H", "X-Require-Whisk-Auth: s3cr3t", web + "secret.json");
    assertEquals(200, with.status(), with::toString);
    assertEquals(new JsonObject().put("opened", true), with.json());

    // require-whisk-auth true wants OpenWhisk credentials, and the action learns whose
    assertEquals(401, curl(web + "members.json").status());
    Answer member = curl("-u", appliance.guestKey(), web + "members.json");
    assertEquals(200, member.status(), member::toString);
    assertEquals("guest", member.json().getString("user"));
  }

  @Test
  void anActionThatIsNotExportedIsNotFound() {
    Answer hidden = curl(web + "hidden.json");
    assertEquals(404, hidden.status(), hidden::toString);
    assertEquals("The requested resource does not exist.", hidden.json().getString("error"));
    assertFalse(hidden.json().getString("code", "").isBlank(), hidden::toString);
    // the same answer as for an action that does not exist at all: nothing is revealed
    Answer missing = curl(web + "nosuchaction.json");
    assertEquals(404, missing.status(), missing::toString);
    assertEquals(hidden.json().getString("error"), missing.json().getString("error"));
    // and it is still an ordinary action for its owner
    assertEquals(200, wsk.post(NS + "actions/hidden?blocking=true", new JsonObject()).status());
  }

  @Test
  void rawHttpActionsGetTheQueryAndTheBodyUnparsed() {
    String json = "{\"name\":\"Eve\"}";
    Answer a = curl("-X", "POST", "-H", "Content-Type: application/json", "--data-binary", json, web + "raw.json?name=q&b=2");
    assertEquals(200, a.status(), a::toString);
    JsonObject result = a.json();
    assertEquals("name=q&b=2", result.getString("query"));
    assertEquals(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)), result.getString("body"));
    assertNull(result.getValue("name"), "a raw-http action gets no named arguments: " + result);
    assertEquals("post", result.getString("method"));

    Answer text = curl("-X", "PUT", "-H", "Content-Type: text/plain", "--data-binary", "just words", web + "raw.json");
    assertEquals(200, text.status(), text::toString);
    assertEquals("just words", text.json().getString("body"));
    assertEquals("", text.json().getString("query"));
    assertEquals("put", text.json().getString("method"));
  }
}
