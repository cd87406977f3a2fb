package io.edgewhisk.mqtt.security;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import io.edgewhisk.mqtt.MqttBrokerVerticle;
import io.edgewhisk.spi.AdminContext;
import io.edgewhisk.spi.IdentityService;
import io.edgewhisk.spi.PluginDatabase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MqttUserCommandTest {
  @TempDir
  Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  AdminContext context() {
    return new AdminContext() {
      public com.typesafe.config.Config config() { return ConfigFactory.empty(); }
      public Path dataDir() { return dir; }
      public PluginDatabase database() { throw new UnsupportedOperationException(); }
      public IdentityService identities() { throw new UnsupportedOperationException(); }
      public PrintStream out() { return new PrintStream(out, true, StandardCharsets.UTF_8); }
      public PrintStream err() { return new PrintStream(err, true, StandardCharsets.UTF_8); }
    };
  }

  @Test
  void addListDelete() throws Exception {
    Path pw = dir.resolve("pw");
    Files.writeString(pw, "s3cret\n");
    MqttUserCommand cmd = new MqttUserCommand(new ByteArrayInputStream(new byte[0]));
    assertEquals(0, cmd.run(List.of("user", "add", "sensor1", "--password-file", pw.toString(),
        "--rule", "allow publish sensors/%u/#"), context()));
    assertEquals(0, new MqttUserCommand(new ByteArrayInputStream("typed\n".getBytes())).run(
        List.of("user", "add", "sensor2"), context()));
    assertEquals(0, cmd.run(List.of("user", "list"), context()));
    String listed = out.toString(StandardCharsets.UTF_8);
    assertTrue(listed.contains("sensor1  allow publish sensors/%u/#"), listed);
    assertTrue(listed.contains("sensor2"), listed);
    var users = new DeviceUsers(MqttBrokerVerticle.usersFile(dir)).read();
    assertTrue(PasswordHash.verify("s3cret".toCharArray(), users.get("sensor1").passwordHash()));
    assertTrue(PasswordHash.verify("typed".toCharArray(), users.get("sensor2").passwordHash()));
    assertFalse(Files.readString(MqttBrokerVerticle.usersFile(dir)).contains("s3cret"), "never the password itself");
    assertEquals(0, cmd.run(List.of("user", "delete", "sensor1"), context()));
    assertEquals(1, cmd.run(List.of("user", "delete", "sensor1"), context()));
    assertEquals(2, cmd.run(List.of("user", "add", "bad name"), context()));
    assertEquals(2, cmd.run(List.of("user", "add", "x", "--rule", "allow nothing #"), context()));
    assertEquals(2, cmd.run(List.of("frobnicate"), context()));
  }
}
