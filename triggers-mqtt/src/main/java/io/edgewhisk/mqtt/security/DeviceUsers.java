package io.edgewhisk.mqtt.security;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The MQTT device users, kept in {@code mqtt-users.json} in the state directory: a name, a password hash and
 * optional access rules each. Written whole to a temporary file and renamed into place, so the running broker
 * (which re-reads the file when it changes) never sees half of it. Blocking file I/O: not for an event loop.
 */
public final class DeviceUsers {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
  private final Path file;

  public DeviceUsers(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  /** One device user; {@code rules} empty means the configured {@code user-rules} apply. */
  public record DeviceUser(String name, String passwordHash, List<String> rules) {
    public DeviceUser {
      rules = List.copyOf(rules);
    }
  }

  public Path file() {
    return file;
  }

  public Map<String, DeviceUser> read() throws IOException {
    Map<String, DeviceUser> users = new TreeMap<>();
    if (!Files.exists(file)) {
      return users;
    }
    JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    JsonObject all = json.getJsonObject("users", new JsonObject());
    for (String name : all.fieldNames()) {
      JsonObject u = all.getJsonObject(name);
      List<String> rules = new ArrayList<>();
      u.getJsonArray("rules", new JsonArray()).forEach(r -> rules.add((String) r));
      users.put(name, new DeviceUser(name, u.getString("hash"), rules));
    }
    return users;
  }

  /** Adds the user, or replaces its password and rules. */
  public void put(String name, char[] password, List<String> rules) throws IOException {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("user name '" + name + "': letters, digits and . _ @ - only, at most 128");
    }
    if (password.length == 0) {
      throw new IllegalArgumentException("the password must not be empty");
    }
    rules.forEach(AccessRule::parse);
    Map<String, DeviceUser> users = read();
    users.put(name, new DeviceUser(name, PasswordHash.hash(password), rules));
    write(users);
  }

  /** Deletes the user; answers whether it existed. */
  public boolean delete(String name) throws IOException {
    Map<String, DeviceUser> users = read();
    if (users.remove(name) == null) {
      return false;
    }
    write(users);
    return true;
  }

  private void write(Map<String, DeviceUser> users) throws IOException {
    JsonObject all = new JsonObject();
    users.values().forEach(u -> all.put(u.name(), new JsonObject().put("hash", u.passwordHash())
        .put("rules", new JsonArray(new ArrayList<>(u.rules())))));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, new JsonObject().put("users", all).encodePrettily(), StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory's permissions protect it
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
