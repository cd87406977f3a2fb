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

  /**
   * The process alone, not its descendants: an appliance's own JVM (the {@code podman system service} one appliance
   * starts when no Podman socket is there is its child, but it serves every appliance on the machine).
   */
  static long ownTicks(ProcessHandle process) {
    return statTicks(Path.of("/proc", Long.toString(process.pid()), "stat"));
  }

  /** The processes alone, together. */
  static long ownTicks(List<ProcessHandle> processes) {
    return processes.stream().mapToLong(ProcessCpu::ownTicks).sum();
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
   * Podman's share of an appliance's work so far: the conmon monitors of its containers (named
   * {@code ew-<instance id>-…}), with the containers' processes under them, and Podman's API service (which
   * serves every appliance on the machine, so a phase counts it only while one appliance is loaded).
   */
  static long podmanTicks(String instanceId) {
    long ticks = 0;
    String container = "ew-" + instanceId + "-";
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path proc : procs) {
        String cmdline = readOrEmpty(proc.resolve("cmdline")).replace('\0', ' ');
        String comm = readOrEmpty(proc.resolve("comm")).strip();
        if (comm.equals("conmon") && cmdline.contains(container)) {
          ticks += ProcessHandle.of(Long.parseLong(proc.getFileName().toString())).map(ProcessCpu::ticks).orElse(0L);
        } else if (comm.equals("podman") && cmdline.contains(" system service")) {
          ticks += statTicks(proc.resolve("stat"));
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return ticks;
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
