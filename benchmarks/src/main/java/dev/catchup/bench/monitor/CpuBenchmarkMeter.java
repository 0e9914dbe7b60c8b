package dev.catchup.bench.monitor;

import dev.catchup.bench.harness.Stats;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * CPU time of this JVM's threads (user + system, from {@link ThreadMXBean}) and of the whole
 * process, so that the monitor's threads can be told apart from the benchmark's own by name.
 */
final class CpuBenchmarkMeter {
  /** Group of the monitor's and the benchmark's threads, by the names they are given. */
  static final Function<String, String> GROUPS = name -> {
    if (name.startsWith("binlog-")) {
      return "binlog feed";
    } else if (name.startsWith("tracker-")) {
      return "tracker";
    } else if (name.startsWith("heartbeat-")) {
      return "heartbeat writer";
    } else if (name.startsWith("catchup-http-stream-writer-")) {
      return "stream writers";
    } else if (name.equals("catchup-http-stream")) {
      return "stream broadcaster";
    } else if (name.startsWith("catchup-http-") || name.startsWith("HTTP-Dispatcher")
        || name.equals("idle-timeout-task")) {
      return "http server";
    } else if (name.startsWith("bench-")) {
      return "benchmark client";
    }
    return "other java threads";
  };

  /** What the process used beyond its live Java threads, GC and JIT: VM threads, exited threads. */
  static final String JVM = "jvm other (vm threads, exited threads)";
  static final String GC = "jvm gc";
  static final String JIT = "jvm jit";
  /** Linux reports task CPU in clock ticks of 10 ms (USER_HZ = 100 on every mainstream kernel). */
  private static final double MILLIS_PER_TICK = 10.0;

  private CpuBenchmarkMeter() {}

  /**
   * CPU used so far.
   *
   * @param nanos {@link System#nanoTime()} when taken
   * @param processCpuNanos CPU time of the whole process
   * @param threadCpuNanos CPU time per live thread id
   * @param names name per live thread id
   * @param gcTicks CPU of the JVM's garbage collector threads ({@code /proc}, clock ticks)
   * @param jitTicks CPU of the JVM's compiler threads ({@code /proc}, clock ticks)
   */
  record Snapshot(long nanos, long processCpuNanos, Map<Long, Long> threadCpuNanos,
      Map<Long, String> names, long gcTicks, long jitTicks) {}

  static Snapshot take() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<Long, Long> cpu = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds(), 0)) {
      if (info == null) {
        continue; // exited since getAllThreadIds()
      }
      long c = mx.getThreadCpuTime(info.getThreadId());
      if (c >= 0) {
        cpu.put(info.getThreadId(), c);
        names.put(info.getThreadId(), info.getThreadName());
      }
    }
    long[] native_ = nativeTicks();
    return new Snapshot(System.nanoTime(), processCpu(), cpu, names, native_[0], native_[1]);
  }

  /**
   * CPU ticks of the JVM's own threads, which {@link ThreadMXBean} does not list: GC (HotSpot names
   * them "GC Thread#n", "G1 ...") and JIT ("C1/C2 CompilerThread"). Zero where /proc is missing.
   */
  private static long[] nativeTicks() {
    long gc = 0;
    long jit = 0;
    Path tasks = Path.of("/proc/self/task");
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
      for (Path task : dir) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread exited
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
          continue;
        }
        String comm = stat.substring(open + 1, close);
        String[] f = stat.substring(close + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
          gc += ticks;
        } else if (comm.contains("CompilerThre")) {
          jit += ticks;
        }
      }
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
    return new long[] {gc, jit};
  }

  private static long processCpu() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** CPU milliseconds between two snapshots of the threads named exactly {@code name}. */
  static double threadMillis(Snapshot a, Snapshot b, String name) {
    return grouped(a, b, n -> n.equals(name) ? name : "").getOrDefault(name, 0.0);
  }

  /**
   * CPU milliseconds per group between two snapshots, plus {@link #GC}, {@link #JIT} (10 ms
   * resolution), {@link #JVM} (the rest of the process) and {@code "process"} (the whole process).
   * A thread that started in between counts from zero; one that exited in between is lost from its
   * group and lands in {@link #JVM}.
   */
  static Map<String, Double> grouped(Snapshot a, Snapshot b, Function<String, String> groups) {
    Map<String, Double> out = new TreeMap<>();
    double threads = 0;
    for (Map.Entry<Long, Long> e : b.threadCpuNanos().entrySet()) {
      long before = a.threadCpuNanos().getOrDefault(e.getKey(), 0L);
      double ms = (e.getValue() - before) / 1e6;
      threads += ms;
      out.merge(groups.apply(b.names().get(e.getKey())), ms, Double::sum);
    }
    Map<String, Double> result = new LinkedHashMap<>();
    out.forEach((k, v) -> result.put(k, Stats.round(v)));
    double process = (b.processCpuNanos() - a.processCpuNanos()) / 1e6;
    double gc = (b.gcTicks() - a.gcTicks()) * MILLIS_PER_TICK;
    double jit = (b.jitTicks() - a.jitTicks()) * MILLIS_PER_TICK;
    result.put(GC, Stats.round(gc));
    result.put(JIT, Stats.round(jit));
    result.put(JVM, Stats.round(Math.max(0, process - threads - gc - jit)));
    result.put("process", Stats.round(process));
    return result;
  }

  /** {@link #grouped} by {@link #GROUPS}, per second of wall-clock time between the snapshots. */
  static Map<String, Double> perSecond(Snapshot a, Snapshot b) {
    double wallSeconds = wallMillis(a, b) / 1000;
    Map<String, Double> out = new LinkedHashMap<>();
    grouped(a, b, GROUPS).forEach((k, v) -> out.put(k, Stats.round(v / wallSeconds)));
    return out;
  }

  /** Wall-clock milliseconds between two snapshots. */
  static double wallMillis(Snapshot a, Snapshot b) {
    return (b.nanos() - a.nanos()) / 1e6;
  }
}
