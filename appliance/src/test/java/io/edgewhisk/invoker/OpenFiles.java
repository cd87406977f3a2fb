package io.edgewhisk.invoker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** This process's open file descriptors, from {@code /proc/self/fd}. */
final class OpenFiles {
  private OpenFiles() {
  }

  /** The files (deleted ones too) under {@code dir} that this process holds open. */
  static List<Path> under(Path dir) throws IOException {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(OpenFiles::target).filter(target -> target != null && target.startsWith(dir)).toList();
    }
  }

  private static Path target(Path fd) {
    try {
      return Files.readSymbolicLink(fd);
    } catch (IOException closed) {
      return null; // closed meanwhile, or the listing's own descriptor
    }
  }
}
