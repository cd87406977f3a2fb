package io.edgewhisk.mqtt.security;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a CONNECT's credentials against the device users: the slow hash runs on a worker thread, and a
 * password once verified is remembered (as a digest) so a reconnecting fleet does not pay it again. The
 * users file is re-read when it changes; {@link #reload} answers the users whose connections must close.
 * Confined to the broker's event loop apart from the worker calls.
 */
public final class Authenticator {
  private final Vertx vertx;
  private final DeviceUsers users;
  private final boolean allowAnonymous;
  private final AccessRules anonymousRules;
  private final AccessRules userRules;
  private Map<String, DeviceUsers.DeviceUser> known = Map.of();
  private final Map<String, byte[]> verified = new HashMap<>();
  private FileTime loadedAt;

  public Authenticator(Vertx vertx, DeviceUsers users, boolean allowAnonymous, AccessRules anonymousRules,
                       AccessRules userRules) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.users = Objects.requireNonNull(users, "users");
    this.allowAnonymous = allowAnonymous;
    this.anonymousRules = Objects.requireNonNull(anonymousRules, "anonymousRules");
    this.userRules = Objects.requireNonNull(userRules, "userRules");
  }

  /** Re-reads the users file if it changed; answers the names of users removed or changed since the last read. */
  public Future<Set<String>> reload() {
    return vertx.executeBlocking(() -> {
      FileTime modified = Files.exists(users.file()) ? Files.getLastModifiedTime(users.file()) : FileTime.fromMillis(0);
      return modified.equals(loadedAt) ? null : new Loaded(modified, users.read());
    }, false).map(loaded -> {
      if (loaded == null) {
        return Set.of();
      }
      Set<String> gone = new HashSet<>();
      known.forEach((name, u) -> {
        DeviceUsers.DeviceUser now = loaded.users().get(name);
        if (now == null || !now.passwordHash().equals(u.passwordHash()) || !now.rules().equals(u.rules())) {
          gone.add(name);
          verified.remove(name);
        }
      });
      known = Map.copyOf(loaded.users());
      loadedAt = loaded.modified();
      return gone;
    });
  }

  private record Loaded(FileTime modified, Map<String, DeviceUsers.DeviceUser> users) {}

  /** Answers the principal, or fails with {@link AuthenticationFailed}. */
  public Future<Principal> authenticate(String userName, byte[] password) {
    if (userName == null) {
      return allowAnonymous ? Future.succeededFuture(new Principal(null, anonymousRules))
          : Future.failedFuture(new AuthenticationFailed("anonymous access is not allowed", false));
    }
    DeviceUsers.DeviceUser user = known.get(userName);
    if (user == null || password == null) {
      return Future.failedFuture(new AuthenticationFailed("bad user name or password", true));
    }
    Principal principal = new Principal(userName,
        user.rules().isEmpty() ? userRules : AccessRules.parse(user.rules()));
    byte[] digest = digest(user.passwordHash(), password);
    byte[] seen = verified.get(userName);
    if (seen != null && MessageDigest.isEqual(seen, digest)) {
      return Future.succeededFuture(principal);
    }
    char[] chars = new String(password, StandardCharsets.UTF_8).toCharArray();
    return vertx.executeBlocking(() -> PasswordHash.verify(chars, user.passwordHash()), false).compose(ok -> {
      if (!ok) {
        return Future.failedFuture(new AuthenticationFailed("bad user name or password", true));
      }
      if (user == known.get(userName)) {
        verified.put(userName, digest);
      }
      return Future.succeededFuture(principal);
    });
  }

  private static byte[] digest(String hash, byte[] password) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(hash.getBytes(StandardCharsets.UTF_8));
      return sha.digest(password);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
