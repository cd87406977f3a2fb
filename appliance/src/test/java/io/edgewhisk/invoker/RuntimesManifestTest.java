package io.edgewhisk.invoker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimesManifestTest {
  private final RuntimesManifest m = RuntimesManifest.load("");

  @Test
  void theBuiltInManifestIsOnTheClasspath() {
    assertEquals("localhost/edgewhisk/action-nodejs:latest", m.imageOf("nodejs:18"));
    assertEquals("nodejs:18", m.resolveKind("nodejs:default"));
    assertEquals("python:3.11", m.resolveKind("python:default"));
    assertEquals("localhost/edgewhisk/action-python:latest", m.imageOf("python:default"));
    assertTrue(m.isKnownKind("blackbox"));
    assertTrue(m.isKnownKind("nodejs:default"));
    assertFalse(m.isKnownKind("nodejs:20"));
    assertFalse(m.isKnownKind("java:default"));
    assertNull(m.imageOf("go:1.21"));
    assertEquals(List.of(new RuntimesManifest.StemCell("nodejs:18", "localhost/edgewhisk/action-nodejs:latest", 2, 256)),
        m.stemCells());
    assertTrue(m.toJson().getJsonObject("runtimes").containsKey("nodejs"));
  }

  @Test
  void blackboxImagesByShortName() {
    String skeleton = "localhost/edgewhisk/action-skeleton:latest";
    assertEquals(skeleton, m.blackboxImage("action-skeleton"));
    assertEquals(skeleton, m.blackboxImage("edgewhisk/action-skeleton"));
    assertEquals(skeleton, m.blackboxImage("openwhisk/dockerskeleton"));
    assertEquals(skeleton, m.blackboxImage(skeleton));
    assertEquals("localhost/mine:1", m.blackboxImage("localhost/mine:1"));
  }

  @Test
  void memorySizes() {
    assertEquals(256, RuntimesManifest.megabytes("256 MB"));
    assertEquals(1024, RuntimesManifest.megabytes("1 GB"));
    assertEquals(128, RuntimesManifest.megabytes(128));
  }
}
