package io.edgewhisk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugin's admin command runs as {@code edgewhisk <word> …} on the state directory, like {@code user}. */
class PluginCommandTest {
  @TempDir Path dir;

  private record Run(int status, String out, String err) {}

  private static Run main(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theAlarmsPluginsCommandListsTheStoredAlarms() {
    Run list = main("alarms", "list", "--state-dir", dir.toString());
    assertEquals(0, list.status(), list.err());
    assertTrue(list.out().startsWith("TRIGGER"), list.out());

    Run bad = main("alarms", "frobnicate", "--state-dir", dir.toString());
    assertEquals(2, bad.status());
    assertTrue(bad.err().contains("edgewhisk alarms list"), bad.err());
  }

  @Test
  void theUsageListsThePluginsCommands() {
    Run help = main("--help");
    assertEquals(0, help.status());
    assertTrue(help.out().contains("edgewhisk alarms list"), help.out());
    Run unknown = main("nosuchword");
    assertEquals(2, unknown.status());
    assertTrue(unknown.err().contains("unknown command 'nosuchword'"), unknown.err());
  }
}
