package io.edgewhisk.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes a self-signed X.509 v3 server certificate with a new EC P-256 key, what OpenWhisk's deployment
 * generated for its Nginx: the JDK has no public API for writing certificates, and one certificate is
 * too little to bring a crypto library onto every gateway for. Its subject alternative names are the
 * loopback names and addresses plus the ones configured, so clients that check host names accept it
 * once they trust it ({@code curl --cacert}, {@code NODE_EXTRA_CA_CERTS}); {@code wsk -i} skips the check.
 */
public final class SelfSignedCertificate {
  private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
  private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
  private static final String COMMON_NAME = "2.5.4.3";
  private static final String ORGANIZATION = "2.5.4.10";
  private static final String SUBJECT_ALT_NAME = "2.5.29.17";
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String KEY_USAGE = "2.5.29.15";
  private static final String EXT_KEY_USAGE = "2.5.29.37";
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  /** The PEM texts of a new certificate and its private key (PKCS#8). */
  public record Pem(String certificate, String privateKey) {}

  private SelfSignedCertificate() {}

  /**
   * A new key and certificate for {@code names} (host names or IP address literals; localhost,
   * 127.0.0.1 and ::1 are always included), valid from a day ago (clock skew) for {@code validity}.
   */
  public static Pem create(String commonName, List<String> names, Instant now, Duration validity) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair keys = generator.generateKeyPair();
      byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
      byte[] name = Der.sequence(
          Der.set(Der.sequence(Der.oid(ORGANIZATION), Der.utf8("EdgeWhisk"))),
          Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8(commonName))));
      byte[] tbs = Der.sequence(
          Der.explicit(0, Der.unsignedInteger(new byte[] {2})), // v3
          Der.unsignedInteger(serial()),
          algorithm,
          name,
          Der.sequence(time(now.minus(Duration.ofDays(1))), time(now.plus(validity))),
          name,
          keys.getPublic().getEncoded(), // SubjectPublicKeyInfo, already DER
          Der.explicit(3, Der.sequence(
              extension(BASIC_CONSTRAINTS, true, Der.sequence()), // not a CA
              extension(KEY_USAGE, true, Der.tlv(Der.BIT_STRING, new byte[] {7, (byte) 0x80})), // digitalSignature
              extension(EXT_KEY_USAGE, false, Der.sequence(Der.oid(SERVER_AUTH))),
              extension(SUBJECT_ALT_NAME, false, subjectAltNames(names)))));
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(keys.getPrivate());
      signer.update(tbs);
      byte[] certificate = Der.sequence(tbs, algorithm, Der.bitString(signer.sign()));
      return new Pem(pem("CERTIFICATE", certificate), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java cannot make an EC P-256 key: " + e.getMessage(), e);
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static byte[] serial() {
    byte[] serial = new byte[16];
    new SecureRandom().nextBytes(serial);
    serial[0] = (byte) ((serial[0] & 0x7f) | 0x40); // positive, and 16 bytes long
    return serial;
  }

  private static byte[] time(Instant t) {
    // RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050
    return t.atZone(ZoneOffset.UTC).getYear() < 2050
        ? Der.tlv(Der.UTC_TIME, UTC_TIME.format(t).getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        : Der.tlv(Der.GENERALIZED_TIME, GENERALIZED_TIME.format(t).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical
        ? Der.sequence(Der.oid(oid), new byte[] {0x01, 0x01, (byte) 0xff}, Der.tlv(Der.OCTET_STRING, value))
        : Der.sequence(Der.oid(oid), Der.tlv(Der.OCTET_STRING, value));
  }

  private static byte[] subjectAltNames(List<String> configured) {
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
    names.addAll(configured);
    List<byte[]> general = new ArrayList<>();
    for (String n : names) {
      general.add(isAddress(n)
          ? Der.tlv(0x87, address(n))                                                          // [7] iPAddress
          : Der.tlv(0x82, n.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));             // [2] dNSName
    }
    return Der.sequence(general.toArray(byte[][]::new));
  }

  /** An IPv4 or IPv6 literal (never a name: those would need a DNS lookup here). */
  static boolean isAddress(String s) {
    return s.contains(":") || s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  private static byte[] address(String literal) {
    try {
      return InetAddress.getByName(literal).getAddress(); // a literal: parsed, not looked up
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + literal, e);
    }
  }
}
