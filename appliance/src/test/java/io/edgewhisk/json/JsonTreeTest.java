package io.edgewhisk.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The JSON reader of request bodies and of the whole process (through Vert.x's codec). */
class JsonTreeTest {
  private static Object read(JsonLimits limits, String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return new JsonTree(limits).read(b, 0, b.length, n -> { });
  }

  @Test
  void numbersAreKeptExactly() {
    JsonArray a = (JsonArray) Json.decodeValue("[1e400, 123456789012345678901234567890, 0.1, 3, 4000000000, -0.0, 2.5e-320, 1.0]");
    assertEquals(new BigDecimal("1e400"), a.getValue(0));
    assertEquals(new BigInteger("123456789012345678901234567890"), a.getValue(1));
    assertEquals(0.1, a.getValue(2));
    assertEquals(3, a.getValue(3));
    assertEquals(4_000_000_000L, a.getValue(4));
    assertEquals(-0.0, a.getValue(5));
    assertEquals(new BigDecimal("2.5e-320"), a.getValue(6), "a subnormal double would lose digits");
    assertEquals(1.0, a.getValue(7));
    assertEquals("[1E+400,123456789012345678901234567890,0.1,3,4000000000,-0.0,2.5E-320,1.0]", a.encode());
    assertFalse(a.encode().contains("Infinity"));
  }

  @Test
  void codeLongerThanJacksonsDefaultStringLimitReadsBack() {
    // Jackson refuses strings over 20,000,000 characters by default; action code may be 48 MB
    String code = "a".repeat(25_000_000);
    JsonObject o = new JsonObject(new JsonObject().put("code", code).encode());
    assertEquals(code.length(), o.getString("code").length());
  }

  @Test
  void commentsAndOtherExtensionsAreRefused() {
    for (String bad : new String[] {"{/*c*/}", "{\"a\":1 // c\n}", "{'a':1}", "{a:1}", "[NaN]", "[1,]", "{\"a\":1} {}"}) {
      DecodeException e = assertThrows(DecodeException.class, () -> Json.decodeValue(bad), bad);
      assertTrue(e.getMessage().startsWith("The request content was malformed"), e.getMessage());
      assertFalse(e.getMessage().toLowerCase().contains("jackson"), e.getMessage());
    }
  }

  @Test
  void tooManyValuesStopReadingThere() {
    JsonLimits limits = new JsonLimits(1 << 20, 10, 100, 1000);
    assertEquals(new JsonArray().add(1).add(2).add(3), new JsonArray((java.util.List<Object>) read(limits, "[1,2,3]")));
    JsonLimitExceeded e = assertThrows(JsonLimitExceeded.class, () -> read(limits, "[1,2,3,4,5,6,7,8,9,10,11]"));
    assertEquals("values", e.limit());
    assertEquals(10, e.allowed());
  }

  @Test
  void tooLongOrTooDeepIsALimitNotAMalformedDocument() {
    assertThrows(JsonLimitExceeded.class, () -> read(new JsonLimits(10, 100, 100, 1000), "[1,2,3,4,5,6]"));
    JsonLimitExceeded deep = assertThrows(JsonLimitExceeded.class, () -> read(new JsonLimits(1000, 100, 3, 1000), "[[[[1]]]]"));
    assertEquals("nesting levels", deep.limit());
    assertEquals(List.of(List.of(List.of(1))), read(new JsonLimits(1000, 100, 3, 1000), "[[[1]]]"));
    assertThrows(JsonLimitExceeded.class, () -> read(new JsonLimits(1000, 100, 10, 5), "[\"abcdefgh\"]"));
  }

  @Test
  void theTreeIsChargedAsItIsBuiltAndAChargeCanStopIt() {
    AtomicLong charged = new AtomicLong();
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < 100_000; i++) {
      b.append(i == 0 ? "" : ",").append("{}");
    }
    byte[] doc = b.append("]").toString().getBytes(StandardCharsets.UTF_8);
    JsonTree tree = new JsonTree(new JsonLimits(1 << 22, 1_000_000, 100, 1000));
    tree.read(doc, 0, doc.length, charged::addAndGet);
    assertEquals(100_001L * JsonTree.BYTES_PER_TOKEN, charged.get());
    AtomicLong seen = new AtomicLong();
    IllegalStateException stop = assertThrows(IllegalStateException.class, () -> tree.read(doc, 0, doc.length, n -> {
      if (seen.addAndGet(n) > 1_000_000) {
        throw new IllegalStateException("budget spent");
      }
    }));
    assertEquals("budget spent", stop.getMessage());
    assertTrue(seen.get() < 2_000_000, "stopped soon after the budget was spent: " + seen.get());
  }
}
