package io.edgewhisk.mqtt.broker;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicsTest {
  @Test
  void filtersMatchAsMqttSays() {
    assertTrue(Topics.matches("a/+/c", "a/b/c"));
    assertFalse(Topics.matches("a/+/c", "a/b/d"));
    assertTrue(Topics.matches("a/#", "a"), "# also matches the parent level");
    assertTrue(Topics.matches("a/#", "a/b/c"));
    assertTrue(Topics.matches("+/+", "/x"), "an empty level is a level");
    assertFalse(Topics.matches("+", "a/b"));
    assertTrue(Topics.matches("#", "a/b"));
    assertFalse(Topics.matches("#", "$SYS/x"), "$ topics are not matched by a leading wildcard");
    assertFalse(Topics.matches("+/x", "$SYS/x"));
    assertTrue(Topics.matches("$SYS/#", "$SYS/x"));
  }

  @Test
  void validity() {
    assertTrue(Topics.isValidFilter("a/+/#"));
    assertFalse(Topics.isValidFilter("a/#/b"));
    assertFalse(Topics.isValidFilter("a/b#"));
    assertFalse(Topics.isValidFilter("a+/b"));
    assertFalse(Topics.isValidFilter(""));
    assertTrue(Topics.isValidTopicName("a/b"));
    assertFalse(Topics.isValidTopicName("a/+"));
    assertFalse(Topics.isValidTopicName(""));
    assertTrue(Topics.parseShared("$share/g/a/#").valid());
    assertEquals("a/#", Topics.parseShared("$share/g/a/#").filter());
    assertFalse(Topics.parseShared("$share/g").valid());
    assertFalse(Topics.parseShared("$share/+/a").valid());
  }

  @Test
  void theIndexFindsWhatMatchesAndForgetsWhatIsRemoved() {
    SubscriptionIndex index = new SubscriptionIndex();
    Subscription a = new Subscription("c1", "s/+/t", null, 1, false, false, 0, 0);
    Subscription b = new Subscription("c2", "s/#", null, 0, false, false, 0, 0);
    Subscription c = new Subscription("c3", "#", null, 0, false, false, 0, 0);
    Subscription shared = new Subscription("c4", "s/x/t", "g", 1, false, false, 0, 0);
    List.of(a, b, c, shared).forEach(index::add);
    List<String> hits = new ArrayList<>();
    List<Integer> groups = new ArrayList<>();
    index.match("s/x/t", s -> hits.add(s.clientId()), g -> groups.add(g.size()));
    assertEquals(List.of("c1", "c2", "c3").stream().sorted().toList(), hits.stream().sorted().toList());
    assertEquals(List.of(1), groups);
    hits.clear();
    index.match("$SYS/x", s -> hits.add(s.clientId()), g -> { });
    assertTrue(hits.isEmpty());
    assertTrue(index.remove(a));
    assertFalse(index.remove(a));
    index.remove(b);
    index.remove(c);
    index.remove(shared);
    assertEquals(0, index.size());
    assertTrue(index.all().isEmpty());
  }
}
