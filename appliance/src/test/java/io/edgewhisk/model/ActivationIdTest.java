package io.edgewhisk.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ActivationIdTest {

  @Test
  void aNewIdIsThirtyTwoHexDigitsBeginningWithItsMillisecond() {
    long now = 1_764_999_999_123L;
    ActivationId id = ActivationId.at(now);
    assertTrue(ActivationId.isValid(id.value()), id.value());
    assertEquals(Long.toHexString(now), id.value().substring(0, 12).replaceFirst("^0+", ""));
  }

  @Test
  void laterIdsSortAfterEarlierOnesAndIdsOfOneMillisecondDiffer() {
    ActivationId earlier = ActivationId.at(1_764_999_999_123L);
    ActivationId later = ActivationId.at(1_764_999_999_124L);
    assertTrue(earlier.value().compareTo(later.value()) < 0, earlier + " then " + later);
    Set<String> sameMillisecond = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      sameMillisecond.add(ActivationId.at(1_764_999_999_123L).value());
    }
    assertEquals(10_000, sameMillisecond.size(), "80 random bits tell ids of one millisecond apart");
    assertNotEquals(ActivationId.random(), ActivationId.random());
  }

  @Test
  void anIdThatIsNotThirtyTwoLowerCaseHexDigitsIsABadRequest() {
    for (String bad : new String[] {"", "abc", "0123456789ABCDEF0123456789abcdef", "0123456789abcdef0123456789abcdef0"}) {
      WhiskException e = assertThrows(WhiskException.class, () -> new ActivationId(bad));
      assertEquals(400, e.status(), bad);
    }
  }

  @Test
  void exactlyTheDigitsAndTheLettersAToFAreAllowedAtEveryPlace() {
    String good = "0123456789abcdef0123456789abcdef";
    for (int place = 0; place < 32; place++) {
      for (char c = 0; c < 256; c++) {
        String id = good.substring(0, place) + c + good.substring(place + 1);
        boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        assertEquals(hex, ActivationId.isValid(id), "'" + c + "' at " + place);
      }
    }
    assertFalse(ActivationId.isValid(null));
  }
}
