package io.edgewhisk.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/** A {@link LogFile} on a {@link FileChannel}. */
final class ChannelLogFile implements LogFile {
  private final FileChannel channel;

  ChannelLogFile(FileChannel channel) {
    this.channel = Objects.requireNonNull(channel, "channel");
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    return channel.write(src, position);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return channel.read(dst, position);
  }

  @Override
  public void force() throws IOException {
    // fdatasync: it also flushes the file's size, which a growing segment needs; the modification
    // time it skips is not needed to read the records back.
    channel.force(false);
  }

  @Override
  public long size() throws IOException {
    return channel.size();
  }

  @Override
  public void truncate(long size) throws IOException {
    channel.truncate(size);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
