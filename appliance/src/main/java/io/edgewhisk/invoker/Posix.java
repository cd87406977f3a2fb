package io.edgewhisk.invoker;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few C library calls Java cannot make, bound with JNA (which docker-java already loads for Podman's
 * unix socket): making named pipes, and poll(2) over them, which Java cannot select on. Linux only, like the
 * rest of the invoker.
 */
final class Posix {
  static final int O_RDONLY = 0;
  static final int O_NONBLOCK = 04000;
  static final int O_CLOEXEC = 02000000;
  static final short POLLIN = 0x1;
  static final int EINTR = 4;
  static final int EAGAIN = 11;
  /** sizeof(struct pollfd): int fd, short events, short revents. */
  static final int POLLFD_BYTES = 8;

  static {
    Native.register(Platform.C_LIBRARY_NAME);
  }

  private Posix() {}

  static native int mkfifo(String path, int mode) throws LastErrorException;

  static native int open(String path, int flags) throws LastErrorException;

  static native int close(int fd) throws LastErrorException;

  /**
   * Reads into native memory: JNA passes a Java array by copying all of it to the C heap and back on each
   * call (16 KB twice for a 20-byte line), where a {@link com.sun.jna.Memory} is handed over as it is.
   */
  static native NativeLong read(int fd, Pointer buffer, NativeLong count) throws LastErrorException;

  static native NativeLong write(int fd, byte[] buffer, NativeLong count) throws LastErrorException;

  static native int pipe(int[] fds) throws LastErrorException;

  static native int poll(Pointer fds, NativeLong count, int timeoutMs) throws LastErrorException;
}
