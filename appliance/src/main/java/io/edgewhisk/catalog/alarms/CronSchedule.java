package io.edgewhisk.catalog.alarms;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A cron expression as the alarm feed takes it: five fields (minute hour day-of-month month day-of-week)
 * or six with a leading seconds field, each a {@code *}, a number, a name (JAN–DEC, SUN–SAT), a range
 * {@code a-b}, a step {@code *}{@code /n}, {@code a-b/n} or {@code a/n}, or a comma list of these. Months run
 * 1–12 and days of the week 0–7 (0 and 7 are Sunday), as crontab(5) has them. When both day fields are
 * restricted, a day matching either fires (crontab's rule). Pure and immutable: {@link #next} computes the
 * next fire time in any zone, skipping local times a daylight-saving gap removes and firing once in an
 * overlap.
 */
public final class CronSchedule {
  /** How far ahead {@link #next} looks before deciding that an expression never fires (e.g. 30 February). */
  private static final int SEARCH_YEARS = 8;

  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  private final String expression;
  private final boolean withSeconds;
  private final BitSet seconds;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean dayOfMonthRestricted;
  private final boolean dayOfWeekRestricted;
  private final boolean secondsIsZero;

  private CronSchedule(String expression, String[] f) {
    this.expression = expression;
    this.withSeconds = f.length == 6;
    int i = withSeconds ? 1 : 0;
    this.seconds = withSeconds ? field(f[0], "second", 0, 59, null, 0) : single(0);
    this.secondsIsZero = !withSeconds || "0".equals(f[0]);
    this.minutes = field(f[i], "minute", 0, 59, null, 0);
    this.hours = field(f[i + 1], "hour", 0, 23, null, 0);
    this.daysOfMonth = field(f[i + 2], "day of month", 1, 31, null, 0);
    this.months = field(f[i + 3], "month", 1, 12, MONTHS, 1);
    BitSet dow = field(f[i + 4], "day of week", 0, 7, DAYS, 0);
    if (dow.get(7)) {
      dow.set(0);
    }
    this.daysOfWeek = dow;
    this.dayOfMonthRestricted = !f[i + 2].startsWith("*");
    this.dayOfWeekRestricted = !f[i + 4].startsWith("*");
  }

  /** Parses five or six fields; fails with an {@link IllegalArgumentException} that says what is wrong. */
  public static CronSchedule parse(String expression) {
    Objects.requireNonNull(expression, "expression");
    String[] f = expression.trim().split("\\s+");
    if (f.length != 5 && f.length != 6) {
      throw new IllegalArgumentException("a cron pattern has 5 or 6 fields, not " + (expression.isBlank() ? 0 : f.length));
    }
    return new CronSchedule(expression, f);
  }

  public String expression() {
    return expression;
  }

  /** True when there are six fields and the seconds field is not just {@code 0}: it fires more than once a minute. */
  public boolean hasSecondsGranularity() {
    return !secondsIsZero;
  }

  /**
   * The first fire time strictly after {@code after}, in {@code zone}'s wall-clock time; null when the
   * expression matches no date in the next years (e.g. {@code 0 0 30 2 *}).
   */
  public Instant next(Instant after, ZoneId zone) {
    LocalDateTime t = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    int lastYear = t.getYear() + SEARCH_YEARS;
    while (t.getYear() <= lastYear) {
      if (!months.get(t.getMonthValue())) {
        t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
        continue;
      }
      if (!dayMatches(t.toLocalDate())) {
        t = t.toLocalDate().plusDays(1).atStartOfDay();
        continue;
      }
      int h = hours.nextSetBit(t.getHour());
      if (h < 0) {
        t = t.toLocalDate().plusDays(1).atStartOfDay();
        continue;
      }
      if (h != t.getHour()) {
        t = t.toLocalDate().atTime(h, 0);
        continue;
      }
      int m = minutes.nextSetBit(t.getMinute());
      if (m < 0) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
        continue;
      }
      if (m != t.getMinute()) {
        t = t.toLocalDate().atTime(h, m);
        continue;
      }
      int s = seconds.nextSetBit(t.getSecond());
      if (s < 0) {
        t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        continue;
      }
      t = t.toLocalDate().atTime(LocalTime.of(h, m, s));
      ZonedDateTime z = t.atZone(zone);
      if (!z.toLocalDateTime().equals(t) || !z.toInstant().isAfter(after)) {
        // a local time that a daylight-saving gap skips, or the second pass through an overlap
        t = t.plusSeconds(1);
        continue;
      }
      return z.toInstant();
    }
    return null;
  }

  private boolean dayMatches(LocalDate d) {
    boolean dom = daysOfMonth.get(d.getDayOfMonth());
    boolean dow = daysOfWeek.get(d.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : d.getDayOfWeek().getValue());
    return dayOfMonthRestricted && dayOfWeekRestricted ? dom || dow : dom && dow;
  }

  private static BitSet single(int value) {
    BitSet b = new BitSet();
    b.set(value);
    return b;
  }

  /** One field: comma-separated items, each {@code *}, a value or a range, with an optional step. */
  private static BitSet field(String text, String what, int min, int max, List<String> names, int nameBase) {
    BitSet out = new BitSet(max + 1);
    for (String item : text.split(",", -1)) {
      if (item.isEmpty()) {
        throw bad(what, text);
      }
      int slash = item.indexOf('/');
      String range = slash < 0 ? item : item.substring(0, slash);
      int step = 1;
      if (slash >= 0) {
        step = number(item.substring(slash + 1), what, text);
        if (step < 1) {
          throw bad(what, text);
        }
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = max;
      } else {
        int dash = range.indexOf('-');
        if (dash < 0) {
          from = value(range, what, text, names, nameBase);
          to = slash < 0 ? from : max;
        } else {
          from = value(range.substring(0, dash), what, text, names, nameBase);
          to = value(range.substring(dash + 1), what, text, names, nameBase);
        }
      }
      if (from < min || to > max || from > to) {
        throw new IllegalArgumentException("the " + what + " field '" + text + "' is out of range " + min + "-" + max);
      }
      for (int v = from; v <= to; v += step) {
        out.set(v);
      }
    }
    return out;
  }

  private static int value(String s, String what, String text, List<String> names, int nameBase) {
    if (names != null && !s.isEmpty() && Character.isLetter(s.charAt(0))) {
      int i = names.indexOf(s.toUpperCase(Locale.ROOT));
      if (i < 0) {
        throw bad(what, text);
      }
      return i + nameBase;
    }
    return number(s, what, text);
  }

  private static int number(String s, String what, String text) {
    if (s.isEmpty() || s.length() > 4 || !s.chars().allMatch(Character::isDigit)) {
      throw bad(what, text);
    }
    return Integer.parseInt(s);
  }

  private static IllegalArgumentException bad(String what, String text) {
    return new IllegalArgumentException("the " + what + " field '" + text + "' is not valid");
  }

  @Override
  public String toString() {
    return expression;
  }
}
