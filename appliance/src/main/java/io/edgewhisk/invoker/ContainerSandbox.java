package io.edgewhisk.invoker;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.edgewhisk.config.ConfigValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How far an action container is confined ({@code edgewhisk.invoker.sandbox}; reference.conf documents
 * each key): a read-only root file system with size-limited tmpfs folders for what actions write, the
 * Linux capabilities left to it, no privilege escalation, and the size of its log file in Podman's storage
 * (0: none).
 */
public record ContainerSandbox(
    boolean readOnlyRoot,
    List<String> writablePaths,
    long writableBytes,
    List<String> capabilities,
    boolean noNewPrivileges,
    long logFileBytes) {

  /** What reference.conf sets. */
  public static final ContainerSandbox DEFAULT = new ContainerSandbox(true, List.of("/tmp", "/action", "/run", "/var/tmp"),
      64L * 1024 * 1024, List.of(), true, 0);

  public ContainerSandbox {
    writablePaths = List.copyOf(writablePaths);
    capabilities = List.copyOf(capabilities);
    for (String p : writablePaths) {
      if (!validPath(p)) {
        throw new IllegalArgumentException("writable path '" + p + "' must be absolute, without ',', ':' or '..'");
      }
    }
    for (String c : capabilities) {
      if (!c.matches("(CAP_)?[A-Z_]{2,32}")) {
        throw new IllegalArgumentException("capability '" + c + "' is not a capability's name (e.g. CHOWN)");
      }
    }
  }

  /** Podman's tmpfs mounts (path to options) for the writable paths. */
  Map<String, String> tmpfsMounts() {
    Map<String, String> mounts = new LinkedHashMap<>();
    for (String path : writablePaths) {
      // Podman copies what the image has in the folder into the tmpfs (tmpcopyup), so baked files stay
      mounts.put(path, "rw,nosuid,nodev,mode=1777,size=" + writableBytes);
    }
    return mounts;
  }

  static ContainerSandbox from(Config c) {
    List<String> paths = c.getStringList("writable-paths");
    for (String p : paths) {
      if (!validPath(p)) {
        throw new ConfigException.BadValue(c.origin(), "writable-paths",
            "'" + p + "' must be an absolute path without ',', ':' or '..'");
      }
    }
    List<String> caps = c.getStringList("capabilities").stream().map(s -> s.strip().toUpperCase(java.util.Locale.ROOT)).toList();
    for (String cap : caps) {
      if (!cap.matches("(CAP_)?[A-Z_]{2,32}")) {
        throw new ConfigException.BadValue(c.origin(), "capabilities", "'" + cap + "' is not a capability's name (e.g. CHOWN)");
      }
    }
    return new ContainerSandbox(c.getBoolean("read-only-root"), paths, ConfigValues.bytes(c, "writable-size"), caps,
        c.getBoolean("no-new-privileges"),
        ConfigValues.bytesOrNone(c, "log-file-size"));
  }

  private static boolean validPath(String p) {
    Objects.requireNonNull(p, "path");
    // the path goes into Podman's tmpfs option string, where ',' and ':' separate options
    return p.startsWith("/") && p.length() > 1 && !p.contains(",") && !p.contains(":") && !p.contains("..");
  }
}
