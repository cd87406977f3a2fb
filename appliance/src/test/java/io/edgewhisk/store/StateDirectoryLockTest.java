package io.edgewhisk.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryLockTest {

  @Test
  void aHeldDirectoryIsRefusedWithOneSentenceNamingItAndItsHolder(@TempDir Path dir) {
    try (StateDirectoryLock held = StateDirectoryLock.acquire(dir)) {
      StateDirectoryLock.InUseException e = assertThrows(StateDirectoryLock.InUseException.class,
          () -> StateDirectoryLock.acquire(dir));
      assertTrue(e.getMessage().contains(dir.toAbsolutePath() + " is in use by another EdgeWhisk (process "
          + ProcessHandle.current().pid() + ")"), e.getMessage());
      assertTrue(StateDirectoryLock.isHeld(dir));
    }
    assertFalse(StateDirectoryLock.isHeld(dir));
    StateDirectoryLock.acquire(dir).close();
  }
}
