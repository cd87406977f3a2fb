package io.edgewhisk.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Keeps one copy of SQLite's native library in the cache folder from one start to the next. Left alone, the
 * JDBC driver extracts the library from its jar at every start (a megabyte written, read back and compared
 * byte by byte: about 0.1 s of a 2-core gateway's CPU, and a megabyte written to its SD card each time) and
 * deletes it at exit. The cache folder is the one the launcher gives the driver ({@code org.sqlite.tmpdir},
 * the service's private cache directory); without it the driver does as it always did.
 */
final class SqliteNativeLibrary {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteNativeLibrary.class);
  static final String LIB_PATH = "org.sqlite.lib.path";
  static final String LIB_NAME = "org.sqlite.lib.name";
  static final String TMPDIR = "org.sqlite.tmpdir";
  /** Not the driver's "sqlite-VERSION" prefix: the driver deletes its own leftovers by that prefix. */
  private static final String PREFIX = "edgewhisk-sqlitejdbc-";

  private SqliteNativeLibrary() {}

  /**
   * Points the driver at the kept copy (made now if missing) before it loads the library. The driver reads
   * these two system properties once, when the first connection is opened; a library path already set (by
   * the operator, or by an earlier call) is left as it is.
   */
  static synchronized void useKeptCopy() {
    String dir = System.getProperty(TMPDIR);
    if (dir == null || System.getProperty(LIB_PATH) != null) {
      return;
    }
    try {
      Path copy = keptCopy(Path.of(dir));
      System.setProperty(LIB_NAME, copy.getFileName().toString());
      System.setProperty(LIB_PATH, copy.getParent().toString());
    } catch (IOException | RuntimeException e) {
      // the driver's own extraction still works; only the saving is lost
      LOG.debug("SQLite's native library is extracted by the driver: no copy kept in {}: {}", dir, e.toString());
    }
  }

  /**
   * The library's copy in {@code dir}, named by the driver's version and the machine's architecture, so that
   * another driver or JVM makes a copy of its own. A copy is written under a temporary name and renamed, so a
   * start killed while writing leaves no half library under the real name; copies of other versions go.
   */
  static Path keptCopy(Path dir) throws IOException {
    Path copy = dir.resolve(PREFIX + SQLiteJDBCLoader.getVersion() + "-" + System.getProperty("os.arch") + "-"
        + LibraryLoaderUtil.getNativeLibName());
    String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
    if (Files.isRegularFile(copy) && Files.size(copy) == sizeOf(resource)) {
      return copy; // a copy cut short (a power cut before its blocks reached the card) is made again
    }
    Path partial = Files.createTempFile(dir, PREFIX, ".partial",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("the driver has no native library " + resource);
      }
      try (FileChannel file = FileChannel.open(partial, StandardOpenOption.WRITE); // the file made 0700 above
           OutputStream out = Channels.newOutputStream(file)) {
        in.transferTo(out);
        file.force(true); // on the card before it takes the real name
      }
      Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
    removeOtherCopies(dir, copy);
    return copy;
  }

  /** The library's size in the driver's jar, read from the jar's index (-1 when unknown: then never equal). */
  private static long sizeOf(String resource) throws IOException {
    java.net.URL url = SQLiteJDBCLoader.class.getResource(resource);
    return url == null ? -1 : url.openConnection().getContentLengthLong();
  }

  private static void removeOtherCopies(Path dir, Path keep) throws IOException {
    try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, PREFIX + "*")) {
      for (Path p : old) {
        if (!p.equals(keep) && !p.getFileName().toString().endsWith(".partial")) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
