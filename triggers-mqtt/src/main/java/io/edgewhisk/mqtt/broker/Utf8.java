package io.edgewhisk.mqtt.broker;

/** Sizes of strings as MQTT encodes them (UTF-8), without allocating. */
final class Utf8 {
  private Utf8() {}

  static int length(CharSequence s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
