package io.edgewhisk.tls;

import io.edgewhisk.spi.TlsMaterial;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Where a listener's TLS identity comes from: the certificate and key files an operator configured, or
 * else a self-signed pair made on the first start and kept (so its fingerprint stays the same across
 * restarts). Blocking file I/O: call it from a worker thread or before the event loops start.
 */
public final class TlsFiles {
  /** Validity of a self-signed certificate: a gateway is installed and forgotten. */
  static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(3650);
  public static final String CERTIFICATE = "cert.pem";
  public static final String KEY = "key.pem";

  private TlsFiles() {}

  /** The configured files, checked: the certificate must parse; a bad one names the setting. */
  public static TlsMaterial configured(Path certificate, Path key, String settingPrefix) {
    Buffer cert = read(certificate, settingPrefix + ".certificate-file");
    Buffer pem = read(key, settingPrefix + ".key-file");
    String fingerprint;
    try {
      fingerprint = fingerprint(cert);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(settingPrefix + ".certificate-file: " + certificate
          + " holds no PEM certificate: " + e.getMessage(), e);
    }
    if (!pem.toString().contains("PRIVATE KEY-----")) {
      throw new IllegalArgumentException(settingPrefix + ".key-file: " + key + " holds no PEM private key");
    }
    return new TlsMaterial(cert, pem, certificate, fingerprint, false);
  }

  /**
   * The self-signed pair in {@code dir} ({@value #CERTIFICATE}, {@value #KEY}), made now if missing:
   * the key file is readable by the service user alone; both files are written under temporary names
   * and moved into place, so a crash never leaves half a pair.
   */
  public static TlsMaterial selfSigned(Path dir, List<String> names) {
    Path cert = dir.resolve(CERTIFICATE);
    Path key = dir.resolve(KEY);
    try {
      if (!Files.exists(cert) || !Files.exists(key)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        SelfSignedCertificate.Pem made = SelfSignedCertificate.create("EdgeWhisk self-signed", names, Instant.now(),
            SELF_SIGNED_VALIDITY);
        write(key, made.privateKey(), "rw-------");
        write(cert, made.certificate(), "rw-r--r--");
      }
      Buffer certificate = Buffer.buffer(Files.readAllBytes(cert));
      return new TlsMaterial(certificate, Buffer.buffer(Files.readAllBytes(key)), cert, fingerprint(certificate), true);
    } catch (IOException e) {
      throw new IllegalStateException("cannot keep the self-signed certificate in " + dir + ": " + e.getMessage(), e);
    } catch (CertificateException e) {
      throw new IllegalStateException(cert + " is not a certificate (delete it and " + key
          + " to have a new pair made): " + e.getMessage(), e);
    }
  }

  /** SHA-256 of the first certificate's DER encoding, as {@code openssl x509 -fingerprint -sha256} prints it. */
  static String fingerprint(Buffer pem) throws CertificateException {
    X509Certificate first = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes()));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(first.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest).toUpperCase(Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Buffer read(Path file, String setting) {
    try {
      return Buffer.buffer(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(setting + ": cannot read " + file + ": " + e, e);
    }
  }

  private static void write(Path file, String text, String permissions) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
    Files.writeString(tmp, text);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
