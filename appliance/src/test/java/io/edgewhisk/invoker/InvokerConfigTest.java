package io.edgewhisk.invoker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.edgewhisk.config.ApplianceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvokerConfigTest {
  private static ApplianceConfig appliance(Map<String, Object> overrides) {
    return ApplianceConfig.from(ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.parseResources("reference.conf")).resolve());
  }

  @Test
  void openWhisksDefaults() {
    InvokerConfig c = InvokerConfig.from(appliance(Map.of("edgewhisk.state-dir", "/var/lib/edgewhisk")));
    assertEquals(Path.of("/run/podman/podman.sock"), c.podmanSocket());
    assertEquals(1024, c.userMemoryMb());
    assertEquals(Duration.ofSeconds(10), c.pauseGrace());
    assertEquals(Duration.ofMinutes(10), c.idleTimeout());
    assertEquals(1048576, c.maxResultBytes());
    assertTrue(c.network());
    assertTrue(c.prewarm());
    assertEquals("http://host.containers.internal:3233", c.apiHost());
    assertEquals(256, c.cpuSharesFor(256));
    assertEquals(2, c.cpuSharesFor(1));
  }

  @Test
  void theInstanceIdFollowsTheStateDirectoryUnlessSet() {
    String a = InvokerConfig.from(appliance(Map.of("edgewhisk.state-dir", "/srv/a"))).instanceId();
    assertEquals(a, InvokerConfig.from(appliance(Map.of("edgewhisk.state-dir", "/srv/a"))).instanceId());
    assertNotEquals(a, InvokerConfig.from(appliance(Map.of("edgewhisk.state-dir", "/srv/b"))).instanceId());
    assertEquals("gw1", InvokerConfig.from(appliance(Map.of("edgewhisk.invoker.instance-id", "gw1"))).instanceId());
  }

  @Test
  void theSandboxIsStrictByDefaultAndConfigurable() {
    ContainerSandbox d = InvokerConfig.from(appliance(Map.of())).sandbox();
    assertEquals(ContainerSandbox.DEFAULT, d);
    assertTrue(d.readOnlyRoot());
    assertTrue(d.noNewPrivileges());
    assertEquals(java.util.List.of(), d.capabilities());
    assertEquals(64L << 20, d.writableBytes());
    assertEquals(0, d.logFileBytes(), "no container log file");
    ContainerSandbox c = InvokerConfig.from(appliance(Map.of("edgewhisk.invoker.sandbox.capabilities", java.util.List.of("chown", "CAP_SETUID"),
        "edgewhisk.invoker.sandbox.writable-paths", java.util.List.of("/data"), "edgewhisk.invoker.sandbox.writable-size", "8MiB",
        "edgewhisk.invoker.sandbox.read-only-root", false, "edgewhisk.invoker.sandbox.log-file-size", "1MiB"))).sandbox();
    assertEquals(1L << 20, c.logFileBytes());
    assertEquals(java.util.List.of("CHOWN", "CAP_SETUID"), c.capabilities());
    assertEquals(java.util.List.of("/data"), c.writablePaths());
    assertEquals(8L << 20, c.writableBytes());
    assertFalse(c.readOnlyRoot());
  }

  @Test
  void aBadSandboxValueNamesItsKey() {
    for (var bad : java.util.List.<Map<String, Object>>of(
        Map.of("edgewhisk.invoker.sandbox.writable-paths", java.util.List.of("tmp")),
        Map.of("edgewhisk.invoker.sandbox.writable-paths", java.util.List.of("/tmp,exec")),
        Map.of("edgewhisk.invoker.sandbox.capabilities", java.util.List.of("ALL; rm")),
        Map.of("edgewhisk.invoker.sandbox.writable-size", "0"),
        Map.of("edgewhisk.invoker.sandbox.log-file-size", "-1"))) {
      var e = assertThrows(ConfigException.class, () -> InvokerConfig.from(appliance(bad)));
      String key = bad.keySet().iterator().next();
      assertTrue(e.getMessage().contains(key.substring(key.lastIndexOf('.') + 1)), e.getMessage());
    }
  }

  @Test
  void aBadValueNamesItsKey() {
    var e = assertThrows(ConfigException.class, () -> InvokerConfig.from(appliance(Map.of("edgewhisk.invoker.user-memory", 10))));
    assertTrue(e.getMessage().contains("user-memory"), e.getMessage());
    var f = assertThrows(ConfigException.class, () -> InvokerConfig.from(appliance(Map.of("edgewhisk.invoker.instance-id", "a b"))));
    assertTrue(f.getMessage().contains("instance-id"), f.getMessage());
  }
}
