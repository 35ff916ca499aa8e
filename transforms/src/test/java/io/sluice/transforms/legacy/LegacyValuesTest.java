package io.sluice.transforms.legacy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

public class LegacyValuesTest {

  @Test
  public void readsIsoTimesInTheFormsTheOldToolWrote() throws Exception {
    assertThat(
        LegacyValues.time("t", "2024-03-01T10:00:00+00:00"), equalTo("2024-03-01T10:00:00Z"));
    assertThat(
        LegacyValues.time("t", "2024-03-01T12:05:00.5+02:00"), equalTo("2024-03-01T10:05:00.500Z"));
    assertThat(LegacyValues.time("t", "2024-03-01 10:00"), equalTo("2024-03-01T10:00:00Z"));
    assertThat(
        LegacyValues.time("t", "2024-03-03T12:00:00.123456Z"),
        equalTo("2024-03-03T12:00:00.123456Z"));
    assertThat(LegacyValues.time("t", "2024-03-01T10:00:00+0530"), equalTo("2024-03-01T04:30:00Z"));
    assertThat(LegacyValues.time("t", "2024-03-01"), equalTo("2024-03-01T00:00:00Z"));
  }

  @Test
  public void readsEpochSecondsWithTheirFraction() throws Exception {
    assertThat(LegacyValues.time("t", "1700000000"), equalTo("2023-11-14T22:13:20Z"));
    assertThat(LegacyValues.time("t", "1700000000.5"), equalTo("2023-11-14T22:13:20.500Z"));
  }

  @Test
  public void refusesTimesItCannotReadFaithfully() {
    UnmappableValueException words =
        assertThrows(
            UnmappableValueException.class, () -> LegacyValues.time("started_at", "yesterday"));
    assertThat(words.reason(), equalTo("started_at is not an ISO-8601 time"));
    assertThat(words.getMessage(), containsString("'yesterday'"));
    assertThrows(UnmappableValueException.class, () -> LegacyValues.time("t", "99999999999999"));
    assertThrows(UnmappableValueException.class, () -> LegacyValues.time("t", "2024-13-01"));
  }

  @Test
  public void keepsNullsAsNull() throws Exception {
    assertThat(LegacyValues.time("t", null), nullValue());
    assertThat(LegacyValues.json(null), nullValue());
    assertThat(LegacyValues.integer("n", null), nullValue());
    assertThat(LegacyValues.text(null), nullValue());
  }

  @Test
  public void canonicalisesJsonAndWrapsTextThatIsNotJson() {
    assertThat(
        LegacyValues.json("{\"b\": 1.50, \"a\": [1e2, true]}"),
        equalTo("{\"a\":[100,true],\"b\":1.50}"));
    assertThat(LegacyValues.json("not json {"), equalTo("{\"value\":\"not json {\"}"));
    assertThat(LegacyValues.json(""), equalTo("{\"value\":\"\"}"));
    assertThat(
        LegacyValues.json("{\"a\": 1} trailing"),
        equalTo("{\"value\":\"{\\\"a\\\": 1} trailing\"}"));
  }

  @Test
  public void replacesNulWhichPostgresTextCannotHold() {
    assertThat(LegacyValues.text("a\u0000b"), equalTo("a\uFFFDb"));
    assertThat(LegacyValues.json("{\"k\": \"a\\u0000b\"}"), equalTo("{\"k\":\"a\uFFFDb\"}"));
  }

  @Test
  public void readsWholeNumbersAndRefusesOthers() throws Exception {
    assertThat(LegacyValues.integer("n", "42"), equalTo("42"));
    assertThat(LegacyValues.integer("n", "42.0"), equalTo("42"));
    assertThrows(UnmappableValueException.class, () -> LegacyValues.integer("n", "4.2"));
    assertThrows(UnmappableValueException.class, () -> LegacyValues.integer("n", "many"));
    assertThrows(
        UnmappableValueException.class, () -> LegacyValues.integer("n", "99999999999999999999"));
  }
}
