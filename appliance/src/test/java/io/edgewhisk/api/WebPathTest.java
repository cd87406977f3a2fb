package io.edgewhisk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** How a web action URL's path splits into action, extension and the rest. */
class WebPathTest {

  @Test
  void defaultMeansNoPackage() {
    WebPath p = WebPath.parse("/api/v1/web/guest/default/hello.json");
    assertEquals("guest/hello", p.action().toString());
    assertNull(p.action().pkg());
    assertEquals(WebMedia.JSON, p.media());
    assertEquals("", p.rest());
  }

  @Test
  void aPackageAndTheRestOfThePath() {
    WebPath p = WebPath.parse("/api/v1/web/guest/demo/hello.text/a/b%20c/");
    assertEquals("guest/demo/hello", p.action().toString());
    assertEquals(WebMedia.TEXT, p.media());
    assertEquals("/a/b%20c/", p.rest(), "the rest as sent");
  }

  @Test
  void noKnownExtensionMeansHttpAndKeepsTheWholeName() {
    assertEquals(WebMedia.HTTP, WebPath.parse("/api/v1/web/guest/default/hello").media());
    WebPath dotted = WebPath.parse("/api/v1/web/guest/default/hello.xml");
    assertEquals("hello.xml", dotted.action().name());
    assertEquals(WebMedia.HTTP, dotted.media());
    WebPath http = WebPath.parse("/api/v1/web/guest/default/hello.http/x");
    assertEquals("hello", http.action().name());
    assertEquals("/x", http.rest());
    assertEquals("hello world", WebPath.parse("/api/v1/web/guest/default/hello%20world.svg").action().name());
  }

  @Test
  void whatNamesNoActionIsNull() {
    assertNull(WebPath.parse("/api/v1/web/guest/default"));
    assertNull(WebPath.parse("/api/v1/web/guest/default/"));
    assertNull(WebPath.parse("/api/v1/web/guest/default/.json"));
    assertNull(WebPath.parse("/api/v1/web/gu%ZZest/default/a"));
    assertNull(WebPath.parse("/api/v1/web/guest/default/a%2Fb"));
    assertNull(WebPath.parse("/api/v1/web/-bad/default/a"));
  }
}
