package io.edgewhisk.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few ASN.1 DER encodings an X.509 certificate needs (ITU-T X.690): enough to write one, nothing
 * to read one (the JDK's {@code CertificateFactory} reads them).
 */
final class Der {
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OCTET_STRING = 0x04;
  static final int OID = 0x06;
  static final int UTF8_STRING = 0x0c;
  static final int UTC_TIME = 0x17;
  static final int GENERALIZED_TIME = 0x18;
  static final int SEQUENCE = 0x30;
  static final int SET = 0x31;

  private Der() {}

  /** Tag, length, value. */
  static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(n >>> (8 * i));
      }
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  static byte[] sequence(byte[]... parts) {
    return tlv(SEQUENCE, concat(parts));
  }

  static byte[] set(byte[]... parts) {
    return tlv(SET, concat(parts));
  }

  /** A context-specific constructed tag ([n] EXPLICIT). */
  static byte[] explicit(int n, byte[] value) {
    return tlv(0xa0 | n, value);
  }

  /** A non-negative integer given as big-endian magnitude bytes. */
  static byte[] unsignedInteger(byte[] magnitude) {
    int start = 0;
    while (start < magnitude.length - 1 && magnitude[start] == 0) {
      start++;
    }
    boolean pad = (magnitude[start] & 0x80) != 0;
    byte[] v = new byte[magnitude.length - start + (pad ? 1 : 0)];
    System.arraycopy(magnitude, start, v, pad ? 1 : 0, magnitude.length - start);
    return tlv(INTEGER, v);
  }

  static byte[] utf8(String s) {
    return tlv(UTF8_STRING, s.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] bitString(byte[] bytes) {
    byte[] v = new byte[bytes.length + 1]; // first byte: no unused bits
    System.arraycopy(bytes, 0, v, 1, bytes.length);
    return tlv(BIT_STRING, v);
  }

  /** An object identifier from its dotted form, e.g. "2.5.4.3". */
  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      long arc = Long.parseLong(arcs[i]);
      int groups = 1;
      while (arc >= 1L << (7 * groups)) {
        groups++;
      }
      for (int g = groups - 1; g >= 0; g--) {
        out.write((int) ((arc >>> (7 * g)) & 0x7f) | (g > 0 ? 0x80 : 0));
      }
    }
    return tlv(OID, out.toByteArray());
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
