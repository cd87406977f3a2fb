package io.edgewhisk.catalog.alarms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  private static Instant next(String cron, String after) {
    return CronSchedule.parse(cron).next(Instant.parse(after), UTC);
  }

  private static List<String> fires(String cron, String after, int n, ZoneId zone) {
    CronSchedule c = CronSchedule.parse(cron);
    List<String> out = new ArrayList<>();
    Instant t = Instant.parse(after);
    for (int i = 0; i < n; i++) {
      t = c.next(t, zone);
      out.add(t.toString());
    }
    return out;
  }

  @Test
  void everyMinuteFiresAtTheTopOfTheNextMinute() {
    assertEquals(Instant.parse("2026-01-01T10:01:00Z"), next("* * * * *", "2026-01-01T10:00:00Z"));
    assertEquals(Instant.parse("2026-01-01T10:01:00Z"), next("* * * * *", "2026-01-01T10:00:59.999Z"));
  }

  @Test
  void sixFieldsHaveSecondsFirst() {
    assertEquals(List.of("2026-01-01T10:00:01Z", "2026-01-01T10:00:02Z", "2026-01-01T10:00:03Z"),
        fires("* * * * * *", "2026-01-01T10:00:00.500Z", 3, UTC));
    assertEquals(List.of("2026-01-01T10:00:30Z", "2026-01-01T10:01:00Z", "2026-01-01T10:01:30Z"),
        fires("*/30 * * * * *", "2026-01-01T10:00:00Z", 3, UTC));
    assertTrue(CronSchedule.parse("*/30 * * * * *").hasSecondsGranularity());
    assertFalse(CronSchedule.parse("0 * * * * *").hasSecondsGranularity());
    assertFalse(CronSchedule.parse("* * * * *").hasSecondsGranularity());
  }

  @Test
  void listsRangesAndSteps() {
    assertEquals(List.of("2026-01-01T00:05:00Z", "2026-01-01T00:10:00Z", "2026-01-01T00:45:00Z", "2026-01-01T01:05:00Z"),
        fires("5,10,45 * * * *", "2026-01-01T00:00:00Z", 4, UTC));
    assertEquals(List.of("2026-01-01T09:00:00Z", "2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z", "2026-01-02T09:00:00Z"),
        fires("0 9-11 * * *", "2026-01-01T00:00:00Z", 4, UTC));
    assertEquals(List.of("2026-01-01T02:00:00Z", "2026-01-01T04:00:00Z"),
        fires("0 */2 * * *", "2026-01-01T00:00:00Z", 2, UTC));
    assertEquals(List.of("2026-01-01T00:10:00Z", "2026-01-01T00:25:00Z", "2026-01-01T00:40:00Z", "2026-01-01T01:10:00Z"),
        fires("10-40/15 * * * *", "2026-01-01T00:00:00Z", 4, UTC));
    assertEquals(List.of("2026-01-01T00:50:00Z", "2026-01-01T00:55:00Z", "2026-01-01T01:50:00Z"),
        fires("50/5 * * * *", "2026-01-01T00:00:00Z", 3, UTC));
    assertEquals(List.of("2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z", "2026-01-01T00:30:00Z"),
        fires("0,1,30-31/5 * * * *", "2025-12-31T23:59:00Z", 3, UTC));
  }

  @Test
  void namesOfMonthsAndDaysInAnyCase() {
    // 2026-01-01 is a Thursday
    assertEquals(Instant.parse("2026-01-05T08:00:00Z"), next("0 8 * * MON", "2026-01-01T00:00:00Z"));
    assertEquals(Instant.parse("2026-01-02T08:00:00Z"), next("0 8 * * mon-fri", "2026-01-01T09:00:00Z"));
    assertEquals(Instant.parse("2026-03-01T00:00:00Z"), next("0 0 1 Mar,Jun *", "2026-01-01T00:00:00Z"));
    assertEquals(Instant.parse("2026-06-01T00:00:00Z"), next("0 0 1 Mar,Jun *", "2026-03-01T00:00:00Z"));
    assertEquals(Instant.parse("2026-01-04T00:00:00Z"), next("0 0 * * 0", "2026-01-01T00:00:00Z"));
    assertEquals(Instant.parse("2026-01-04T00:00:00Z"), next("0 0 * * 7", "2026-01-01T00:00:00Z"), "7 is Sunday too");
    assertEquals(Instant.parse("2026-01-04T00:00:00Z"), next("0 0 * * sun", "2026-01-01T00:00:00Z"));
  }

  @Test
  void monthsAreOneToTwelve() {
    assertEquals(Instant.parse("2026-12-25T12:30:00Z"), next("30 12 25 12 *", "2026-01-01T00:00:00Z"));
    assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("0 0 1 13 *"));
    assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("0 0 1 0 *"));
  }

  @Test
  void monthEndsAndLeapYears() {
    assertEquals(List.of("2026-01-31T00:00:00Z", "2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z"),
        fires("0 0 31 * *", "2026-01-01T00:00:00Z", 3, UTC));
    assertEquals(Instant.parse("2028-02-29T00:00:00Z"), next("0 0 29 2 *", "2026-01-01T00:00:00Z"));
    assertEquals(Instant.parse("2027-01-01T00:00:00Z"), next("0 0 1 1 *", "2026-12-31T23:59:59Z"));
    assertEquals(Instant.parse("2027-01-01T00:00:00Z"), next("* * * * * *", "2026-12-31T23:59:59Z"));
  }

  @Test
  void neverFiringPatternsAnswerNull() {
    assertNull(next("0 0 30 2 *", "2026-01-01T00:00:00Z"));
    assertNull(next("0 0 31 4 *", "2026-01-01T00:00:00Z"));
  }

  @Test
  void bothDayFieldsRestrictedFireOnEither() {
    // the 13th, or any Friday: 2026-02-06 is a Friday, 2026-02-13 is both
    assertEquals(List.of("2026-02-06T00:00:00Z", "2026-02-13T00:00:00Z", "2026-02-20T00:00:00Z"),
        fires("0 0 13 * FRI", "2026-02-01T00:00:00Z", 3, UTC));
    // one restricted: only that one counts
    assertEquals(Instant.parse("2026-02-13T00:00:00Z"), next("0 0 13 * *", "2026-02-01T00:00:00Z"));
    assertEquals(Instant.parse("2026-02-06T00:00:00Z"), next("0 0 * * 5", "2026-02-01T00:00:00Z"));
  }

  @Test
  void daylightSavingGapsAreSkippedAndOverlapsFireOnce() {
    ZoneId ny = ZoneId.of("America/New_York");
    // 2026-03-08: 02:00 EST jumps to 03:00 EDT, so 02:30 does not exist that day
    assertEquals(List.of("2026-03-07T07:30:00Z", "2026-03-09T06:30:00Z"),
        fires("30 2 * * *", "2026-03-07T00:00:00Z", 2, ny));
    // 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:30 happens twice but fires once
    assertEquals(List.of("2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"),
        fires("30 1 * * *", "2026-10-31T12:00:00Z", 2, ny));
    // hourly keeps its UTC spacing across the change
    assertEquals(List.of("2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z"),
        fires("0 * * * *", "2026-11-01T04:30:00Z", 2, ny));
  }

  @Test
  void utcHasNoDaylightSaving() {
    assertEquals(List.of("2026-03-08T02:30:00Z", "2026-03-09T02:30:00Z"),
        fires("30 2 * * *", "2026-03-08T00:00:00Z", 2, UTC));
  }

  @Test
  void badPatternsAreRefusedWithTheField() {
    for (String bad : List.of("", "* * * *", "* * * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * 32 * *",
        "* * * * 8", "*/0 * * * *", "a * * * *", "1-2-3 * * * *", "5-1 * * * *", "1,,2 * * * *", "* * * FOO *",
        "-1 * * * *", "61 * * * * *")) {
      assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse(bad), bad);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("* 25 * * *"));
    assertTrue(e.getMessage().contains("hour"), e.getMessage());
  }
}
