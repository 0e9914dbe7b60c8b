package dev.catchup.monitor.http;

import static dev.catchup.monitor.http.Metrics.header;
import static dev.catchup.monitor.http.Metrics.labels;
import static dev.catchup.monitor.http.Metrics.sample;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process and JVM families of {@code /metrics}, named as Prometheus' own Java client names them
 * ({@code process_*}, {@code jvm_*}) so that existing dashboards work, read from the JDK's MXBeans:
 * a metrics library for a dozen numbers would be a dependency for nothing. A value the platform
 * does not offer (open files on Windows, resident memory without {@code /proc}) is left out.
 */
final class JvmMetrics {
  /** Linux: the resident set size is the {@code VmRSS} line, in kB. */
  private static final Path PROC_STATUS = Path.of("/proc/self/status");

  private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final List<GarbageCollectorMXBean> collectors =
      ManagementFactory.getGarbageCollectorMXBeans();
  private final double startSeconds = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0;

  void appendTo(StringBuilder out) {
    single(out, "process_cpu_seconds_total", "counter", "CPU time of the process, user and system.",
        os instanceof com.sun.management.OperatingSystemMXBean sun && sun.getProcessCpuTime() >= 0
            ? sun.getProcessCpuTime() / 1e9 : null);
    single(out, "process_resident_memory_bytes", "gauge", "Resident memory of the process.",
        residentBytes());
    boolean unix = os instanceof com.sun.management.UnixOperatingSystemMXBean;
    single(out, "process_open_fds", "gauge", "Open file descriptors.",
        unix ? ((com.sun.management.UnixOperatingSystemMXBean) os).getOpenFileDescriptorCount() : null);
    single(out, "process_max_fds", "gauge", "Limit of open file descriptors.",
        unix ? ((com.sun.management.UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount() : null);
    single(out, "process_start_time_seconds", "gauge", "Start of the process, seconds since the epoch.",
        startSeconds);

    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
    memory(out, "jvm_memory_used_bytes", "Memory used, by area.", heap.getUsed(), nonHeap.getUsed());
    memory(out, "jvm_memory_committed_bytes", "Memory committed by the JVM, by area.",
        heap.getCommitted(), nonHeap.getCommitted());
    memory(out, "jvm_memory_max_bytes", "Most memory the area may use (absent when unbounded).",
        heap.getMax(), nonHeap.getMax());

    single(out, "jvm_threads_current", "gauge", "Live threads, daemon or not.",
        threads.getThreadCount());
    single(out, "jvm_threads_daemon", "gauge", "Live daemon threads.", threads.getDaemonThreadCount());
    single(out, "jvm_threads_peak", "gauge", "Most live threads since the JVM started.",
        threads.getPeakThreadCount());

    header(out, "jvm_gc_collections_total", "counter", "Garbage collections, by collector.");
    for (GarbageCollectorMXBean gc : collectors) {
      long n = gc.getCollectionCount();
      sample(out, "jvm_gc_collections_total", labels("gc", gc.getName()), n < 0 ? null : n);
    }
    header(out, "jvm_gc_collection_seconds_total", "counter",
        "Time spent in garbage collections, by collector.");
    for (GarbageCollectorMXBean gc : collectors) {
      long ms = gc.getCollectionTime();
      sample(out, "jvm_gc_collection_seconds_total", labels("gc", gc.getName()),
          ms < 0 ? null : ms / 1000.0);
    }
  }

  private static void single(StringBuilder out, String name, String type, String help, Number v) {
    header(out, name, type, help);
    sample(out, name, "", v);
  }

  /** A {@code -1} from the MXBean means "undefined" and is left out. */
  private static void memory(StringBuilder out, String name, String help, long heap, long nonHeap) {
    header(out, name, "gauge", help);
    sample(out, name, labels("area", "heap"), heap < 0 ? null : heap);
    sample(out, name, labels("area", "nonheap"), nonHeap < 0 ? null : nonHeap);
  }

  private static Long residentBytes() {
    if (!Files.isReadable(PROC_STATUS)) {
      return null;
    }
    try {
      for (String line : Files.readAllLines(PROC_STATUS, StandardCharsets.UTF_8)) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not worth a log line per scrape: the sample is left out and the family stays documented.
      return null;
    }
    return null;
  }
}
