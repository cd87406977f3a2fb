package io.edgewhisk.invoker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogLineTimeTest {
  private static final DateTimeFormatter OPENWHISK =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  @Test
  void writesWhatTheFormatterWrites() {
    SplittableRandom random = new SplittableRandom(12);
    long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 200_000; i++) {
      Instant t = Instant.ofEpochSecond(random.nextLong(0, last + 1), random.nextInt(1_000_000_000));
      assertEquals(OPENWHISK.format(t), LogLineTime.format(t));
    }
  }

  @Test
  void edges() {
    for (String s : new String[] {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "2000-02-29T12:00:00.000000001Z",
        "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2026-12-06T17:11:02.5Z"}) {
      Instant t = Instant.parse(s);
      assertEquals(OPENWHISK.format(t), LogLineTime.format(t), s);
    }
    assertEquals("2026-12-06T17:11:02.500000000Z", LogLineTime.format(Instant.parse("2026-12-06T17:11:02.5Z")));
  }
}
