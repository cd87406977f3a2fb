package io.edgewhisk.store;

import io.edgewhisk.model.Identity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure a fresh state directory has the namespaces EdgeWhisk needs: {@code guest}, whose credentials
 * are written to {@code <state-dir>/guest.key} readable by the service user only, and {@code whisk.system},
 * the home of the built-in catalog. With {@code dev} both get OpenWhisk's public standalone keys instead of
 * random ones; without it, a public key left over from an earlier dev run is replaced by a random one.
 */
public final class StateBootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(StateBootstrap.class);

  public static final String GUEST = "guest";
  public static final String SYSTEM = "whisk.system";
  public static final String GUEST_KEY_FILE = "guest.key";

  /** OpenWhisk standalone's public credentials (uuid, key), for {@code dev} only. */
  static final String DEV_GUEST_UUID = "23bc46b1-71f6-4ed5-8c54-816aa4f8c502";
  static final String DEV_GUEST_KEY = "123zO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP";
  static final String DEV_SYSTEM_UUID = "789c46b1-71f6-4ed5-8c54-816aa4f8c502";
  static final String DEV_SYSTEM_KEY = "abczO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP";

  private final Vertx vertx;
  private final SubjectStore subjects;
  private final Path stateDir;
  private final boolean dev;

  public StateBootstrap(Vertx vertx, SubjectStore subjects, Path stateDir, boolean dev) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.subjects = Objects.requireNonNull(subjects, "subjects");
    this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
    this.dev = dev;
  }

  /** Ensures both namespaces (and the guest key file); completes with guest's identity. */
  public Future<Identity> run() {
    return ensure(SYSTEM, DEV_SYSTEM_UUID, DEV_SYSTEM_KEY)
        .compose(system -> ensure(GUEST, DEV_GUEST_UUID, DEV_GUEST_KEY));
  }

  private Future<Identity> ensure(String namespace, String devUuid, String devKey) {
    Identity existing = subjects.identityOf(namespace);
    Future<Identity> made;
    if (dev) {
      boolean installed = existing != null && existing.uuid().equals(devUuid) && existing.key().equals(devKey);
      made = installed ? Future.succeededFuture(existing) : subjects.put(namespace, namespace, devUuid, devKey);
    } else if (existing == null) {
      made = subjects.create(namespace, namespace);
      LOG.info("Created namespace {} with a random key", namespace);
    } else if (existing.key().equals(devKey)) {
      LOG.warn("Namespace {} had OpenWhisk's public dev key from an earlier --dev run: giving it a random key", namespace);
      made = subjects.rotateKey(namespace);
    } else {
      return Future.succeededFuture(existing);
    }
    return GUEST.equals(namespace) ? made.compose(this::writeGuestKey) : made;
  }

  /** Writes {@code uuid:key} with mode 0600 from the start, then moves it into place atomically. */
  private Future<Identity> writeGuestKey(Identity guest) {
    return vertx.executeBlocking(() -> {
      Path target = stateDir.resolve(GUEST_KEY_FILE);
      byte[] content = (guest.authKey() + "\n").getBytes(StandardCharsets.UTF_8);
      if (Files.exists(target) && java.util.Arrays.equals(Files.readAllBytes(target), content)) {
        return guest;
      }
      Path temp = Files.createTempFile(stateDir, GUEST_KEY_FILE, ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.write(temp, content);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        Files.deleteIfExists(temp);
        throw e;
      }
      LOG.info("Wrote guest's credentials to {}", target);
      return guest;
    }, false);
  }
}
