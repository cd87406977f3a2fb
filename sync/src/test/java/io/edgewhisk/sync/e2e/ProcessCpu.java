package io.edgewhisk.sync.e2e;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time of processes from {@code /proc} (utime + stime, in clock ticks): a process with its descendants, and
 * a JVM's JIT compiler threads alone (what a JVM spends compiling is a start-up cost, not what an activation
 * costs once it is warm).
 */
final class ProcessCpu {
  /** Linux's USER_HZ, the unit of /proc's times (100 on every Linux architecture the gateway runs on). */
  static final double MS_PER_TICK = 10.0;

  private ProcessCpu() {}

  /** The process and its descendants so far. */
  static long ticks(ProcessHandle process) {
    long ticks = 0;
    for (ProcessHandle p : Stream.concat(Stream.of(process), process.descendants()).toList()) {
      ticks += statTicks(Path.of("/proc", Long.toString(p.pid()), "stat"));
    }
    return ticks;
  }

  /** The processes (and their descendants) together. */
  static long ticks(List<ProcessHandle> processes) {
    return processes.stream().mapToLong(ProcessCpu::ticks).sum();
  }

  /** The JVM's C1 and C2 compiler threads so far (threads that ended are no longer counted: HotSpot keeps them). */
  static long jitTicks(ProcessHandle jvm) {
    long ticks = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(jvm.pid()), "task"))) {
      for (Path task : tasks) {
        String comm = readOrEmpty(task.resolve("comm")).strip();
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
          ticks += statTicks(task.resolve("stat"));
        }
      }
    } catch (IOException gone) {
      // exited
    }
    return ticks;
  }

  /**
   * The whole machine's busy CPU so far, every core (user, nice, system, irq and softirq of /proc/stat's first line;
   * not idle, not I/O wait, not the time a hypervisor stole).
   */
  static long machineBusyTicks() {
    String[] f = readOrEmpty(Path.of("/proc/stat")).lines().findFirst().orElseThrow().trim().split("\\s+");
    return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6]) + Long.parseLong(f[7]);
  }

  /** This JVM's own CPU so far, with that of the child processes it has waited for (utime, stime, cutime, cstime). */
  static long selfAndReapedChildrenTicks() {
    String s = readOrEmpty(Path.of("/proc/self/stat"));
    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
  }

  private static long statTicks(Path stat) {
    String s = readOrEmpty(stat);
    if (s.isEmpty()) {
      return 0; // exited meanwhile
    }
    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
  }

  private static String readOrEmpty(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException gone) {
      return "";
    }
  }
}
