package io.edgewhisk.controller;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The replays of the {@code invoke} topic, kept durably so that the number of times an activation was
 * started survives the crashes it may cause. Each start-up that replays records adds its window
 * (committed offset to end offset) to a small file before anything runs; a record's tries are its first
 * run plus the windows it lay in. Windows wholly before the committed offset are forgotten, so the file
 * stays a few lines long.
 */
final class ReplayWindows {
  /** Offsets {@code from} (inclusive) to {@code to} (exclusive) were replayed at one start-up. */
  record Window(long from, long to) {
    boolean contains(long offset) {
      return offset >= from && offset < to;
    }
  }

  private final Vertx vertx;
  private final Path file;
  private List<Window> windows = List.of();

  ReplayWindows(Vertx vertx, Path file) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.file = Objects.requireNonNull(file, "file");
  }

  /**
   * Reads the earlier windows and adds this start-up's, {@code [committed, end)}, durably; with nothing
   * to replay it only forgets what is committed.
   */
  Future<Void> begin(long committed, long end) {
    return vertx.executeBlocking(() -> {
      List<Window> kept = new ArrayList<>();
      for (Window w : read()) {
        if (w.to() > committed) {
          kept.add(w);
        }
      }
      if (end > committed) {
        kept.add(new Window(committed, end));
      }
      write(kept);
      windows = List.copyOf(kept);
      return null;
    });
  }

  /**
   * How often the record at {@code offset} has been started, this start-up's replay included: its first
   * run and one for each window that held it.
   */
  int tries(long offset) {
    int n = 1;
    for (Window w : windows) {
      n += w.contains(offset) ? 1 : 0;
    }
    return n;
  }

  private List<Window> read() throws IOException {
    List<Window> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] parts = line.strip().split(" ");
      if (parts.length == 2) {
        try {
          out.add(new Window(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
        } catch (NumberFormatException e) {
          // a torn line cannot happen (the file is replaced whole), but an edited one is ignored
        }
      }
    }
    return out;
  }

  /** Replaces the file whole (write, fsync, rename, fsync the folder), so a crash leaves old or new. */
  private void write(List<Window> list) throws IOException {
    StringBuilder text = new StringBuilder();
    for (Window w : list) {
      text.append(w.from()).append(' ').append(w.to()).append('\n');
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
  }
}
