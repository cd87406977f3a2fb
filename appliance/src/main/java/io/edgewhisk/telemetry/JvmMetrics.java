package io.edgewhisk.telemetry;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * The JVM's memory, garbage collections and threads, read from its management beans at each scrape (a few
 * field reads: cheap enough for the scraping event loop).
 */
public final class JvmMetrics {
  private JvmMetrics() {}

  public static void register(MetricRegistry registry) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
    registry.gauge("jvm_memory_heap_used_bytes", "heap in use", () -> memory.getHeapMemoryUsage().getUsed());
    registry.gauge("jvm_memory_heap_committed_bytes", "heap the JVM holds from the system",
        () -> memory.getHeapMemoryUsage().getCommitted());
    registry.gauge("jvm_memory_nonheap_used_bytes", "memory in use outside the heap (metaspace, code cache)",
        () -> memory.getNonHeapMemoryUsage().getUsed());
    registry.gauge("jvm_threads_current", "live threads", threads::getThreadCount);
    registry.gauge("jvm_gc_collections", "garbage collections since start (all collectors)",
        () -> gcs.stream().mapToLong(g -> Math.max(0, g.getCollectionCount())).sum());
    registry.gauge("jvm_gc_collection_seconds", "time spent in garbage collection since start",
        () -> gcs.stream().mapToLong(g -> Math.max(0, g.getCollectionTime())).sum() / 1000.0);
  }
}
