package io.edgewhisk.telemetry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class JvmMetricsTest {
  private static double value(String text, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(text);
    assertTrue(m.find(), name + " missing in\n" + text);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void memoryThreadsAndCollectionsAreThisJvms() {
    MetricRegistry registry = new MetricRegistry();
    JvmMetrics.register(registry);
    StringBuilder out = new StringBuilder();
    registry.render(out);
    String text = out.toString();
    assertTrue(value(text, "jvm_memory_heap_used_bytes") > 0);
    assertTrue(value(text, "jvm_memory_heap_committed_bytes") >= value(text, "jvm_memory_heap_used_bytes") / 2);
    assertTrue(value(text, "jvm_memory_nonheap_used_bytes") > 0);
    assertTrue(value(text, "jvm_threads_current") >= 1);
    double before = value(text, "jvm_gc_collections");
    System.gc();
    out.setLength(0);
    registry.render(out);
    assertTrue(value(out.toString(), "jvm_gc_collections") > before, "a collection is counted");
  }
}
