package io.edgewhisk.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The committed offsets of a topic's consumers, kept in memory and in the topic's {@code consumers}
 * file. The file is replaced whole (write a temporary file, fsync, rename, fsync the directory), so a
 * crash leaves either the old or the new offsets, never a mix.
 */
final class ConsumerOffsets {
  static final String FILE = "consumers";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,199}");

  private final Path dir;
  private final LogFiles files;
  private final Map<String, Long> committed = new ConcurrentHashMap<>();
  /** What the file holds, to go back to when saving fails. */
  private Map<String, Long> saved = Map.of();

  ConsumerOffsets(Path dir, LogFiles files) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.files = Objects.requireNonNull(files, "files");
  }

  static void checkName(String consumer) {
    Objects.requireNonNull(consumer, "consumer");
    if (!NAME.matcher(consumer).matches()) {
      throw new IllegalArgumentException("bad consumer name: " + consumer);
    }
  }

  /** Loads the file, if there is one; a half-written temporary file from a crash is ignored. */
  void load() throws IOException {
    try {
      for (String line : Files.readAllLines(dir.resolve(FILE), StandardCharsets.UTF_8)) {
        int space = line.lastIndexOf(' ');
        if (space > 0) {
          committed.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
        }
      }
      saved = Map.copyOf(committed);
    } catch (NoSuchFileException e) {
      // no consumer has committed yet
    }
  }

  OptionalLong get(String consumer) {
    Long offset = committed.get(consumer);
    return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
  }

  Map<String, Long> all() {
    return Map.copyOf(committed);
  }

  /** The lowest committed offset of any consumer: what retention must keep from. */
  OptionalLong minimum() {
    return committed.values().stream().mapToLong(Long::longValue).min();
  }

  void put(String consumer, long offset) {
    committed.put(consumer, offset);
  }

  void remove(String consumer) {
    committed.remove(consumer);
  }

  /** Forgets changes not saved (after a failed save), so that memory says what the disk says. */
  void revert() {
    committed.clear();
    committed.putAll(saved);
  }

  /** Writes the current offsets durably. */
  void save() throws IOException {
    Map<String, Long> snapshot = Map.copyOf(committed);
    StringBuilder text = new StringBuilder();
    new TreeMap<>(snapshot).forEach((name, offset) -> text.append(name).append(' ').append(offset).append('\n'));
    Path tmp = dir.resolve(FILE + ".tmp");
    Files.deleteIfExists(tmp);
    try (LogFile file = files.open(tmp)) {
      file.writeFully(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)), 0);
      file.force();
    }
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    files.syncDirectory(dir);
    saved = snapshot;
  }
}
