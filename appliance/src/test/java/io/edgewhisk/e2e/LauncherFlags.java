package io.edgewhisk.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM flags of the packaged launcher ({@code packaging/src/dist/bin/edgewhisk}), read from the
 * script itself, so that a test of the appliance's memory runs it as a gateway does.
 */
final class LauncherFlags {
  /** One flag, maybe quoted; a line of the exec list holds one or more of them, then maybe a backslash. */
  private static final Pattern FLAG = Pattern.compile("\"?(-X[^\"\\s]+|-D[^\"\\s]+)\"?");

  private LauncherFlags() {}

  static List<String> read() throws IOException {
    Path script = Path.of(System.getProperty("user.dir")).resolveSibling("packaging").resolve("src/dist/bin/edgewhisk");
    List<String> flags = new ArrayList<>();
    boolean inExec = false;
    for (String line : Files.readAllLines(script)) {
      if (line.startsWith("exec \"$java\"")) {
        inExec = true;
        continue;
      }
      if (!inExec) {
        continue;
      }
      String[] words = line.strip().replaceFirst("\\\\$", "").strip().split("\\s+");
      List<String> onLine = new ArrayList<>();
      for (String word : words) {
        Matcher m = FLAG.matcher(word);
        if (!m.matches()) {
          onLine.clear(); // not a line of flags only (a variable, the main class, ...)
          break;
        }
        onLine.add(m.group(1).replace("${EDGEWHISK_HEAP:-384m}", "384m"));
      }
      onLine.stream().filter(f -> !f.contains("$")).forEach(flags::add);
      if (line.contains("\"$@\"")) {
        break;
      }
    }
    if (!flags.contains("-XX:+UseSerialGC") || flags.stream().noneMatch(f -> f.startsWith("-Xmx"))) {
      throw new IllegalStateException("could not read the launcher's JVM flags from " + script + ": " + flags);
    }
    return flags;
  }

  /** The environment the launcher sets. */
  static java.util.Map<String, String> environment() {
    return java.util.Map.of("MALLOC_ARENA_MAX", "2");
  }

  /** Resident and peak resident memory of a process, in MB, from {@code /proc}. */
  static long[] residentMb(long pid) throws IOException {
    long rss = -1;
    long hwm = -1;
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      } else if (line.startsWith("VmHWM:")) {
        hwm = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    }
    return new long[] {rss, hwm};
  }
}
