package io.edgewhisk.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

class SqliteNativeLibraryTest {
  @TempDir Path dir;

  @Test
  void keepsAnExactCopyOfTheDriversLibraryAndReusesIt() throws Exception {
    Path copy = SqliteNativeLibrary.keptCopy(dir);
    byte[] expected;
    try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(
        LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName())) {
      expected = in.readAllBytes();
    }
    assertTrue(expected.length > 100_000, "the driver's library");
    assertArrayEquals(expected, Files.readAllBytes(copy));
    assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)));

    // the next start finds it and writes nothing
    FileTime old = FileTime.fromMillis(1_000_000_000L);
    Files.setLastModifiedTime(copy, old);
    assertEquals(copy, SqliteNativeLibrary.keptCopy(dir));
    assertEquals(old, Files.getLastModifiedTime(copy));
    assertEquals(List.of(copy), list());
  }

  @Test
  void anotherVersionsCopyGoesAndNoPartialFileStays() throws Exception {
    Path stale = Files.writeString(dir.resolve("edgewhisk-sqlitejdbc-3.0.0-amd64-libsqlitejdbc.so"), "old");
    Path drivers = Files.writeString(dir.resolve("sqlite-3.0.0-1234-libsqlitejdbc.so"), "the driver's own");
    Path copy = SqliteNativeLibrary.keptCopy(dir);
    assertFalse(Files.exists(stale));
    assertTrue(Files.exists(drivers), "files the kept copy does not own stay");
    assertEquals(List.of(copy, drivers).stream().sorted().toList(), list());
  }

  @Test
  void aCopyCutShortIsMadeAgain() throws Exception {
    Path copy = SqliteNativeLibrary.keptCopy(dir);
    long size = Files.size(copy);
    Files.write(copy, new byte[4096]); // what a power cut can leave: the name, not all of the blocks
    assertEquals(copy, SqliteNativeLibrary.keptCopy(dir));
    assertEquals(size, Files.size(copy));
  }

  private List<Path> list() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
