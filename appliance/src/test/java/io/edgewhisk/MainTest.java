package io.edgewhisk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgewhisk.config.ApplianceConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code edgewhisk serve}'s flags make of the configuration. */
class MainTest {
  private static String listensOn(String... args) {
    ApplianceConfig c = Main.serveConfig(List.of(args));
    return c.api().listenHost(c.dev());
  }

  @Test
  void devModeListensOnLoopbackUnlessAnAddressIsGiven() {
    // dev mode installs OpenWhisk's public keys: nobody on the network may reach them
    assertEquals("127.0.0.1", listensOn("--dev", "--state-dir", "/nonexistent"));
    assertEquals("0.0.0.0", listensOn("--dev", "--host", "0.0.0.0", "--state-dir", "/nonexistent"));
    assertEquals("0.0.0.0", listensOn("--state-dir", "/nonexistent"));
    assertEquals("192.0.2.1", listensOn("--host", "192.0.2.1", "--state-dir", "/nonexistent"));
  }
}
