package io.edgewhisk.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens the log's files and makes directory changes durable; tests substitute a faulty one. */
interface LogFiles {
  LogFile open(Path path) throws IOException;

  /** Makes the creation, renaming or removal of entries in {@code dir} durable. */
  void syncDirectory(Path dir) throws IOException;

  /** The real file system, through {@link FileChannel}. */
  static LogFiles standard() {
    return new LogFiles() {
      @Override
      public LogFile open(Path path) throws IOException {
        return new ChannelLogFile(FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE));
      }

      @Override
      public void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
          channel.force(true);
        }
      }
    };
  }
}
