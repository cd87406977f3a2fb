package io.edgewhisk.invoker;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The time at the start of a stored log line, as OpenWhisk writes it: {@code 2026-12-06T17:11:02.123456789Z}
 * (UTC, always nine digits of fraction). Written digit by digit: a {@code DateTimeFormatter} took a few
 * microseconds a line, more than the rest of the line's handling.
 */
final class LogLineTime {
  private LogLineTime() {}

  /** {@code time} in the stored lines' format, for a year from 0 to 9999. */
  static String format(Instant time) {
    long seconds = time.getEpochSecond();
    long day = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    LocalDate date = LocalDate.ofEpochDay(day);
    char[] c = new char[30];
    digits(c, 0, date.getYear(), 4);
    c[4] = '-';
    digits(c, 5, date.getMonthValue(), 2);
    c[7] = '-';
    digits(c, 8, date.getDayOfMonth(), 2);
    c[10] = 'T';
    digits(c, 11, secondOfDay / 3600, 2);
    c[13] = ':';
    digits(c, 14, secondOfDay / 60 % 60, 2);
    c[16] = ':';
    digits(c, 17, secondOfDay % 60, 2);
    c[19] = '.';
    digits(c, 20, time.getNano(), 9);
    c[29] = 'Z';
    return new String(c);
  }

  private static void digits(char[] into, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      into[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
