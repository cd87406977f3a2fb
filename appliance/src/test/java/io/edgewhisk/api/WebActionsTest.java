package io.edgewhisk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Web actions over real HTTP, the request side: which actions answer, who may call them, what reaches
 * the action, and CORS.
 */
class WebActionsTest extends WebActionsFixture {
  private static final String NOT_ALLOWED = "Request defines parameters that are not allowed (e.g., reserved properties).";

  // --- what the action receives ---

  @Test
  void jsonAnswersTheResultAndTheActionGetsTheRequestContext() {
    Reply r = send("GET", "/api/v1/web/guest/default/echo.json?name=Jane&n=1", null, null, "X-Custom", "Yes");
    assertEquals(200, r.status(), r::toString);
    assertEquals("application/json", r.header("Content-Type"));
    assertEquals(new JsonObject().put("greeting", "hello"), r.json());
    assertEquals("*", r.header("Access-Control-Allow-Origin"));
    WebFakeActivator.Invocation call = activator.single();
    assertNotNull(r.header("x-openwhisk-activation-id"));
    assertEquals("guest", call.who().namespace(), "runs as the namespace's owner");
    assertEquals("guest/echo", call.action().toString());
    assertTrue(call.blocking());
    assertEquals(60_000, call.waitMillis());
    JsonObject args = call.payload();
    assertEquals("Jane", args.getString("name"));
    assertEquals("1", args.getString("n"), "query parameters are strings");
    assertEquals("get", args.getString("__ow_method"));
    assertEquals("", args.getString("__ow_path"));
    assertEquals("Yes", args.getJsonObject("__ow_headers").getString("x-custom"), "header names in lower case");
    assertFalse(args.containsKey("__ow_user"), "anonymous caller");
    assertFalse(args.containsKey("__ow_body"));
    assertFalse(args.containsKey("__ow_query"));
  }

  @Test
  void thePathAfterTheExtensionIsTheActionsAndDoesNotProjectTheResult() {
    activator.succeed(new JsonObject().put("body", new JsonObject().put("x", 1)));
    Reply r = send("GET", "/api/v1/web/guest/default/echo.json/body/x", null, null);
    assertEquals(200, r.status(), r::toString);
    assertEquals(new JsonObject().put("body", new JsonObject().put("x", 1)), r.json());
    assertEquals("/body/x", activator.single().payload().getString("__ow_path"));
  }

  @Test
  void dotSegmentsInThePathAreResolvedBeforeTheActionSeesThem() {
    Reply r = send("GET", "/api/v1/web/guest/default/echo.json/a/b/../c/./d/%2e%2e/e", null, null);
    assertEquals(200, r.status(), r::toString);
    assertEquals("/a/c/e", activator.single().payload().getString("__ow_path"));
  }

  @Test
  void aJsonObjectBodyBecomesArgumentsOverTheQuery() {
    Reply r = send("POST", "/api/v1/web/guest/default/echo.json?name=Query&q=1", "application/json",
        "{\"name\":\"Body\",\"deep\":{\"a\":[1,2]}}");
    assertEquals(200, r.status(), r::toString);
    JsonObject args = activator.single().payload();
    assertEquals("Body", args.getString("name"));
    assertEquals("1", args.getString("q"));
    assertEquals(new JsonObject().put("a", new JsonArray().add(1).add(2)), args.getJsonObject("deep"));
    assertEquals("post", args.getString("__ow_method"));
    assertEquals("application/json", args.getJsonObject("__ow_headers").getString("content-type"));
  }

  @Test
  void aFormBodyBecomesArguments() {
    Reply r = send("PUT", "/api/v1/web/guest/default/echo.json", "application/x-www-form-urlencoded",
        "name=Jane+Doe&city=Z%C3%BCrich");
    assertEquals(200, r.status(), r::toString);
    JsonObject args = activator.single().payload();
    assertEquals("Jane Doe", args.getString("name"));
    assertEquals("Zürich", args.getString("city"));
    assertEquals("put", args.getString("__ow_method"));
  }

  @Test
  void otherBodiesArriveWhole() {
    send("POST", "/api/v1/web/guest/default/echo.json", "application/json", "[1,2]");
    assertEquals(new JsonArray().add(1).add(2), activator.single().payload().getValue("__ow_body"));
    activator.clear();
    send("POST", "/api/v1/web/guest/default/echo.json", "text/plain", "Jane");
    assertEquals("Jane", activator.single().payload().getValue("__ow_body"));
    activator.clear();
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};
    sendBytes("POST", "/api/v1/web/guest/default/echo.json", "image/png", png);
    assertEquals(Base64.getEncoder().encodeToString(png), activator.single().payload().getValue("__ow_body"));
  }

  @Test
  void aMalformedJsonBodyIs400() {
    Reply r = send("POST", "/api/v1/web/guest/default/echo.json", "application/json", "{\"name\":");
    assertError(r, 400, "The request content was malformed");
    assertTrue(activator.invocations().isEmpty());
  }

  @Test
  void rawHttpGetsQueryAndBodyUnparsed() {
    Reply r = send("POST", "/api/v1/web/guest/default/raw.json?name=Jane&a=%20b", "application/json", "{\"name\":\"Jane\"}");
    assertEquals(200, r.status(), r::toString);
    JsonObject args = activator.single().payload();
    assertEquals("name=Jane&a=%20b", args.getString("__ow_query"));
    assertEquals(Base64.getEncoder().encodeToString("{\"name\":\"Jane\"}".getBytes(StandardCharsets.UTF_8)),
        args.getString("__ow_body"), "JSON is base64 for raw actions, as in OpenWhisk");
    assertFalse(args.containsKey("name"), "no merging of query or body");
    activator.clear();
    send("POST", "/api/v1/web/guest/default/raw.json", "text/plain", "plain words");
    assertEquals("plain words", activator.single().payload().getString("__ow_body"));
    activator.clear();
    send("POST", "/api/v1/web/guest/default/raw.json", "application/x-www-form-urlencoded", "a=1&b=2");
    assertEquals("a=1&b=2", activator.single().payload().getString("__ow_body"));
    activator.clear();
    send("GET", "/api/v1/web/guest/default/raw.json?__ow_path=x", null, null);
    JsonObject empty = activator.single().payload();
    assertEquals("", empty.getString("__ow_body"));
    assertEquals("__ow_path=x", empty.getString("__ow_query"));
    assertEquals("", empty.getString("__ow_path"), "a raw action's query cannot set arguments");
  }

  // --- what a request may not set ---

  @Test
  void reservedArgumentsCannotBeSetByARequest() {
    assertError(send("GET", "/api/v1/web/guest/default/echo.json?__ow_method=post", null, null), 400, NOT_ALLOWED);
    assertError(send("POST", "/api/v1/web/guest/default/echo.json", "application/json", "{\"__ow_user\":\"admin\"}"), 400, NOT_ALLOWED);
    assertError(send("POST", "/api/v1/web/guest/default/echo.json", "application/x-www-form-urlencoded", "__ow_headers=x"), 400, NOT_ALLOWED);
    assertTrue(activator.invocations().isEmpty());
  }

  @Test
  void finalParametersCannotBeOverridden() {
    assertError(send("GET", "/api/v1/web/guest/default/locked.json?name=Eve", null, null), 400, NOT_ALLOWED);
    assertError(send("POST", "/api/v1/web/guest/default/locked.json", "application/json", "{\"name\":\"Eve\"}"), 400, NOT_ALLOWED);
    assertTrue(activator.invocations().isEmpty());
    // a parameter without a value is not protected, and other names are free
    assertEquals(200, send("GET", "/api/v1/web/guest/default/locked.json?unset=1&other=2", null, null).status());
    // without final, a request may override
    assertEquals(200, send("GET", "/api/v1/web/guest/default/open.json?name=Eve", null, null).status());
    assertEquals("Eve", activator.invocations().get(1).payload().getString("name"));
  }

  // --- which actions answer ---

  @Test
  void onlyExportedActionsAnswer() {
    assertError(send("GET", "/api/v1/web/guest/default/hidden.json", null, null), 404, "The requested resource does not exist.");
    assertError(send("GET", "/api/v1/web/guest/default/unexported.json", null, null), 404, "The requested resource does not exist.");
    assertError(send("GET", "/api/v1/web/guest/default/missing.json", null, null), 404, "The requested resource does not exist.");
    assertError(send("GET", "/api/v1/web/nobody/default/echo.json", null, null), 404, "The requested resource does not exist.");
    assertError(send("GET", "/api/v1/web/guest/default", null, null), 404);
    assertError(send("GET", "/api/v1/web/guest/default/bad%2Fname", null, null), 404);
    assertNull(send("GET", "/api/v1/web/guest/default/hidden.json", null, null).header("Access-Control-Allow-Origin"),
        "nothing about a non-web action");
    assertTrue(activator.invocations().isEmpty());
  }

  @Test
  void anActionInAPackageAnswersButNotThroughABinding() {
    Reply r = send("GET", "/api/v1/web/guest/shop/cart.json", null, null);
    assertEquals(200, r.status(), r::toString);
    assertEquals("guest/shop/cart", activator.single().action().toString());
    assertError(send("GET", "/api/v1/web/guest/mall/cart.json", null, null), 404);
    assertError(send("GET", "/api/v1/web/guest/default/cart.json", null, null), 404);
  }

  // --- require-whisk-auth ---

  @Test
  void requireWhiskAuthTrueWantsValidCredentials() {
    assertError(send("GET", "/api/v1/web/guest/default/members.json", null, null), 401);
    assertError(sendAs("not-a:valid-key", "/api/v1/web/guest/default/members.json"), 401);
    assertTrue(activator.invocations().isEmpty());
    Reply r = sendAs(appliance.otherKey(), "/api/v1/web/guest/default/members.json");
    assertEquals(200, r.status(), r::toString);
    JsonObject args = activator.single().payload();
    assertEquals("other", args.getString("__ow_user"), "the authenticated namespace");
    assertEquals("guest", activator.single().who().namespace(), "still runs as the owner");
  }

  @Test
  void requireWhiskAuthStringWantsTheHeader() {
    assertError(send("GET", "/api/v1/web/guest/default/secret.json", null, null), 401);
    assertError(send("GET", "/api/v1/web/guest/default/secret.json", null, null, "X-Require-Whisk-Auth", "wrong"), 401);
    assertTrue(activator.invocations().isEmpty());
    assertEquals(200, send("GET", "/api/v1/web/guest/default/secret.json", null, null, "X-Require-Whisk-Auth", "s3cr3t").status());
    assertEquals(200, send("GET", "/api/v1/web/guest/default/numbered.json", null, null, "X-Require-Whisk-Auth", "1234").status());
    assertFalse(activator.invocations().get(0).payload().containsKey("__ow_user"));
  }

  // --- CORS ---

  @Test
  void optionsIsAnsweredWithCorsHeadersWithoutInvoking() {
    Reply r = send("OPTIONS", "/api/v1/web/guest/default/echo", null, null);
    assertEquals(200, r.status(), r::toString);
    assertEquals("*", r.header("Access-Control-Allow-Origin"));
    assertEquals("OPTIONS, GET, DELETE, POST, PUT, HEAD, PATCH", r.header("Access-Control-Allow-Methods"));
    assertEquals("Authorization, Origin, X-Requested-With, Content-Type, Accept, User-Agent", r.header("Access-Control-Allow-Headers"));
    Reply preflight = send("OPTIONS", "/api/v1/web/guest/default/members.json", null, null,
        "Access-Control-Request-Headers", "x-foo, content-type");
    assertEquals(200, preflight.status(), "a preflight needs no credentials");
    assertEquals("x-foo, content-type", preflight.header("Access-Control-Allow-Headers"));
    assertTrue(activator.invocations().isEmpty());
    assertEquals("*", send("GET", "/api/v1/web/guest/default/members.json", null, null).header("Access-Control-Allow-Origin"),
        "errors after the action is found carry CORS headers too");
  }

  @Test
  void webCustomOptionsLetsTheActionAnswerOptions() {
    activator.succeed(new JsonObject().put("statusCode", 200)
        .put("headers", new JsonObject().put("Access-Control-Allow-Origin", "https://example.org").put("Allow", "GET")));
    Reply r = send("OPTIONS", "/api/v1/web/guest/default/custom", null, null);
    assertEquals(200, r.status(), r::toString);
    assertEquals("https://example.org", r.header("Access-Control-Allow-Origin"));
    assertNull(r.header("Access-Control-Allow-Methods"));
    assertEquals("options", activator.single().payload().getString("__ow_method"));
  }
}
