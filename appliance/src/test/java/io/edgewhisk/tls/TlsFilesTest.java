package io.edgewhisk.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewhisk.spi.TlsMaterial;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsFilesTest {
  @TempDir
  Path dir;

  @Test
  void aSelfSignedCertificateIsAValidServerCertificateForLoopbackAndTheConfiguredNames() throws Exception {
    Instant now = Instant.parse("2026-12-05T12:00:00Z");
    SelfSignedCertificate.Pem pem = SelfSignedCertificate.create("EdgeWhisk test", List.of("gateway.local", "192.168.7.9"),
        now, Duration.ofDays(3650));
    X509Certificate cert = parse(pem.certificate());
    cert.verify(cert.getPublicKey()); // self-signed: its own key checks its signature
    cert.checkValidity(java.util.Date.from(now));
    assertEquals(3, cert.getVersion());
    assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
    assertEquals("CN=EdgeWhisk test,O=EdgeWhisk", cert.getSubjectX500Principal().getName());
    assertEquals("SHA256withECDSA", cert.getSigAlgName());
    assertEquals(-1, cert.getBasicConstraints(), "not a CA");
    assertTrue(cert.getKeyUsage()[0], "digitalSignature");
    assertEquals(List.of("1.3.6.1.5.5.7.3.1"), cert.getExtendedKeyUsage());
    assertTrue(cert.getNotAfter().toInstant().isAfter(now.plus(Duration.ofDays(3649))));
    assertTrue(cert.getNotBefore().toInstant().isBefore(now), "valid already (clock skew)");
    Set<String> names = names(cert.getSubjectAlternativeNames());
    assertEquals(Set.of("2:localhost", "2:gateway.local", "7:127.0.0.1", "7:0:0:0:0:0:0:0:1", "7:192.168.7.9"), names);
    assertTrue(pem.privateKey().startsWith("-----BEGIN PRIVATE KEY-----\n"));
  }

  @Test
  void datesFrom2050AreGeneralizedTime() throws Exception {
    Instant now = Instant.parse("2045-01-01T00:00:00Z");
    X509Certificate cert = parse(SelfSignedCertificate.create("x", List.of(), now, Duration.ofDays(3650)).certificate());
    assertEquals(2054, cert.getNotAfter().toInstant().atZone(java.time.ZoneOffset.UTC).getYear());
  }

  @Test
  void theSelfSignedPairIsMadeOnceAndKeptWithTheKeyForTheOwnerAlone() throws Exception {
    Path tls = dir.resolve("tls");
    TlsMaterial first = TlsFiles.selfSigned(tls, List.of());
    assertTrue(first.selfSigned());
    assertEquals(tls.resolve("cert.pem"), first.certificateFile());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("key.pem"))));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls)));
    byte[] der = parse(Files.readString(tls.resolve("cert.pem"))).getEncoded();
    String expected = HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    assertEquals(expected, first.sha256Fingerprint());
    assertEquals(95, first.sha256Fingerprint().length());

    TlsMaterial again = TlsFiles.selfSigned(tls, List.of());
    assertEquals(first.sha256Fingerprint(), again.sha256Fingerprint(), "a restart keeps the certificate");
    assertEquals(first.privateKeyPem(), again.privateKeyPem());
    assertTrue(!first.toString().contains("PRIVATE"), "toString never shows the key");
  }

  @Test
  void configuredFilesAreReadAndABadOneNamesItsSetting() throws Exception {
    SelfSignedCertificate.Pem pem = SelfSignedCertificate.create("configured", List.of(), Instant.now(), Duration.ofDays(30));
    Path cert = Files.writeString(dir.resolve("c.pem"), pem.certificate());
    Path key = Files.writeString(dir.resolve("k.pem"), pem.privateKey());
    TlsMaterial m = TlsFiles.configured(cert, key, "edgewhisk.api.https");
    assertTrue(!m.selfSigned());
    assertEquals(pem.certificate(), m.certificatePem().toString(StandardCharsets.US_ASCII));

    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> TlsFiles.configured(dir.resolve("none.pem"), key, "edgewhisk.api.https"));
    assertTrue(missing.getMessage().startsWith("edgewhisk.api.https.certificate-file: cannot read"), missing.getMessage());
    IllegalArgumentException notACert = assertThrows(IllegalArgumentException.class,
        () -> TlsFiles.configured(key, key, "edgewhisk.api.https"));
    assertTrue(notACert.getMessage().contains("holds no PEM certificate"), notACert.getMessage());
    IllegalArgumentException notAKey = assertThrows(IllegalArgumentException.class,
        () -> TlsFiles.configured(cert, cert, "edgewhisk.api.https"));
    assertTrue(notAKey.getMessage().startsWith("edgewhisk.api.https.key-file"), notAKey.getMessage());
  }

  @Test
  void derEncodesLongLengthsAndOidArcs() {
    assertEquals("0603551d11", HexFormat.of().formatHex(Der.oid("2.5.29.17")));
    assertEquals("06082a8648ce3d040302", HexFormat.of().formatHex(Der.oid("1.2.840.10045.4.3.2")));
    byte[] big = Der.tlv(Der.OCTET_STRING, new byte[300]);
    assertEquals("0482012c", HexFormat.of().formatHex(big, 0, 4));
    assertEquals("020100", HexFormat.of().formatHex(Der.unsignedInteger(new byte[] {0, 0})));
    assertEquals("02020080", HexFormat.of().formatHex(Der.unsignedInteger(new byte[] {(byte) 0x80})));
  }

  private static X509Certificate parse(String pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  private static Set<String> names(Collection<List<?>> sans) throws Exception {
    return sans.stream().map(l -> l.get(0) + ":" + (((Integer) l.get(0)) == 7
        ? normalise((String) l.get(1)) : l.get(1))).collect(Collectors.toSet());
  }

  private static String normalise(String address) {
    try {
      return InetAddress.getByName(address).getHostAddress();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
