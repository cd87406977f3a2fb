package io.edgewhisk.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class JsonLinesEncoderTest {
  private final LoggerContext context = new LoggerContext();

  @Test
  void aLineAboutAnActivationIsOneJsonObjectWithItsIdAndNamespace() {
    JsonLinesEncoder encoder = new JsonLinesEncoder();
    encoder.setContext(context);
    encoder.start();
    LoggingEvent event = new LoggingEvent("x", context.getLogger("io.edgewhisk.invoker.ContainerProxy"), Level.INFO,
        "Activation {} timed out after {} ms", null, new Object[] {"a1b2", 100});
    event.setMDCPropertyMap(Map.of("activationId", "a1b2", "namespace", "guest"));
    event.setTimeStamp(1_700_000_000_123L);
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertTrue(line.endsWith("}\n"));
    assertFalse(line.strip().contains("\n"), "one line");
    JsonObject json = new JsonObject(line);
    assertEquals("2023-11-14T22:13:20.123Z", json.getString("time"));
    assertEquals("INFO", json.getString("level"));
    assertEquals("io.edgewhisk.invoker.ContainerProxy", json.getString("logger"));
    assertEquals("Activation a1b2 timed out after 100 ms", json.getString("message"));
    assertEquals("a1b2", json.getString("activationId"));
    assertEquals("guest", json.getString("namespace"));
  }

  @Test
  void anErrorIsItsStackTraceInOneField() {
    JsonLinesEncoder encoder = new JsonLinesEncoder();
    encoder.setContext(context);
    encoder.start();
    LoggingEvent event = new LoggingEvent("x", context.getLogger("t"), Level.ERROR, "failed \"badly\"\n twice",
        new IllegalStateException("boom"), null);
    event.setMDCPropertyMap(Map.of());
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertEquals(1, line.split("\n").length);
    JsonObject json = new JsonObject(line);
    assertEquals("failed \"badly\"\n twice", json.getString("message"));
    assertTrue(json.getString("error").startsWith("java.lang.IllegalStateException: boom"), json.encode());
  }

  @Test
  void activationMdcIsSetAroundTheLineAndRestoredAfter() {
    MDC.put("activationId", "outer");
    ActivationMdc.run("inner", "alice", () -> {
      assertEquals("inner", MDC.get("activationId"));
      assertEquals("alice", MDC.get("namespace"));
    });
    assertEquals("outer", MDC.get("activationId"));
    assertEquals(null, MDC.get("namespace"));
    MDC.clear();
  }

  @Test
  void theFormatIsTextOrJsonAndABadOneNamesTheKey() {
    assertEquals(LoggingFormat.TEXT, LoggingFormat.from(ConfigFactory.parseString("edgewhisk.logging.format = text")));
    assertEquals(LoggingFormat.JSON, LoggingFormat.from(ConfigFactory.parseString("edgewhisk.logging.format = JSON")));
    ConfigException e = assertThrows(ConfigException.class,
        () -> LoggingFormat.from(ConfigFactory.parseString("edgewhisk.logging.format = xml")));
    assertTrue(e.getMessage().contains("edgewhisk.logging.format"), e.getMessage());
  }
}
