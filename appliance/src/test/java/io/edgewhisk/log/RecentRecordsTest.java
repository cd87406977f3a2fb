package io.edgewhisk.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentRecordsTest {
  private static byte[] value(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<Long> offsets(List<LogRecord> records) {
    return records.stream().map(LogRecord::offset).toList();
  }

  @Test
  void answersTheRecordsItHoldsWithTheirOffsetsTimesAndValues() {
    RecentRecords recent = new RecentRecords(4, 100);
    recent.add(0, 10, value("a"));
    recent.add(1, 11, value("b"));
    List<LogRecord> read = recent.read(0, 2, 10, 1000);
    assertEquals(List.of(0L, 1L), offsets(read));
    assertEquals("b", read.get(1).value().toString());
    assertEquals(11, read.get(1).timestamp());
  }

  @Test
  void answersNullOnceARecordWasOverwrittenByANewerOne() {
    RecentRecords recent = new RecentRecords(2, 100);
    for (long o = 0; o < 3; o++) {
      recent.add(o, 0, value("v" + o));
    }
    assertNull(recent.read(0, 3, 10, 1000), "offset 0's slot holds offset 2 now");
    assertEquals(List.of(1L, 2L), offsets(recent.read(1, 3, 10, 1000)));
  }

  @Test
  void answersNullForARecordTooLargeToKeepOrNeverWritten() {
    RecentRecords recent = new RecentRecords(4, 3);
    recent.add(0, 0, value("small"));
    assertNull(recent.read(0, 1, 10, 1000));
    assertNull(recent.read(1, 2, 10, 1000));
  }

  @Test
  void stopsAtMaxRecordsAndMaxBytesButAlwaysGivesTheFirst() {
    RecentRecords recent = new RecentRecords(8, 100);
    for (long o = 0; o < 5; o++) {
      recent.add(o, 0, value("xxxx"));
    }
    assertEquals(List.of(0L, 1L), offsets(recent.read(0, 5, 2, 1000)));
    assertEquals(List.of(0L, 1L, 2L), offsets(recent.read(0, 5, 10, 12)));
    assertEquals(List.of(3L), offsets(recent.read(3, 5, 10, 1)));
  }
}
