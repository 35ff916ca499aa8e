package io.sluice.transforms.legacy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How legacy SQLite values become canonical text for PostgreSQL. SQLite keeps whatever a column was
 * given, so every conversion accepts the forms the old tool wrote and refuses, with a reason, what
 * it cannot convert faithfully. NULL stays NULL throughout.
 */
public final class LegacyValues {
  /** PostgreSQL text cannot hold U+0000; it becomes the replacement character. */
  private static final String NUL = "\u0000";

  private static final String REPLACEMENT = "\uFFFD";

  private static final Instant FIRST_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant AFTER_LAST_INSTANT =
      Instant.parse("9999-12-31T23:59:59Z").plusSeconds(1);

  private static final Pattern SHORT_OFFSET = Pattern.compile("(?<=\\d)([+-]\\d{2})(\\d{2})?$");

  private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

  /**
   * ISO-8601 date-times as Python's {@code isoformat()} and SQLite's {@code datetime()} write them:
   * 'T' or a space between date and time, optional seconds and fraction, an optional offset ({@code
   * Z}, {@code +02:00}, {@code +0200}, {@code +02}); without an offset the time is UTC.
   */
  private static final DateTimeFormatter ISO_TIME =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .optionalStart()
          .appendLiteral('T')
          .append(DateTimeFormatter.ISO_LOCAL_TIME)
          .optionalStart()
          .appendOffset("+HH:MM", "Z")
          .optionalEnd()
          .optionalEnd()
          .toFormatter();

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  private LegacyValues() {}

  public static String text(String value) {
    return value == null ? null : value.replace(NUL, REPLACEMENT);
  }

  /** A 64-bit whole number, from an INTEGER, a REAL without fraction or numeric text. */
  public static String integer(String column, String value) throws UnmappableValueException {
    if (value == null) {
      return null;
    }
    String trimmed = value.trim();
    if (NUMBER.matcher(trimmed).matches()) {
      try {
        return Long.toString(new BigDecimal(trimmed).longValueExact());
      } catch (ArithmeticException fractionOrTooLarge) {
        // Falls through to the refusal below.
      }
    }
    throw new UnmappableValueException(column, "is not a 64-bit whole number", value);
  }

  /**
   * An instant as ISO-8601 UTC text: numbers are epoch seconds (fractions kept), text is parsed as
   * ISO-8601 in the forms {@link #ISO_TIME} accepts.
   */
  public static String time(String column, String value) throws UnmappableValueException {
    if (value == null) {
      return null;
    }
    String trimmed = value.trim();
    if (NUMBER.matcher(trimmed).matches()) {
      BigDecimal seconds = new BigDecimal(trimmed);
      try {
        return inRange(
            column,
            Instant.ofEpochSecond(
                seconds.longValue(),
                seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue()),
            value);
      } catch (RuntimeException outOfRange) {
        throw new UnmappableValueException(column, "is out of the range of epoch seconds", value);
      }
    }
    try {
      TemporalAccessor parsed =
          ISO_TIME.parseBest(
              isoWithT(trimmed), OffsetDateTime::from, LocalDateTime::from, LocalDate::from);
      Instant instant;
      if (parsed instanceof OffsetDateTime offset) {
        instant = offset.toInstant();
      } else if (parsed instanceof LocalDateTime local) {
        instant = local.toInstant(ZoneOffset.UTC);
      } else {
        instant = ((LocalDate) parsed).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      return inRange(column, instant, value);
    } catch (DateTimeParseException e) {
      throw new UnmappableValueException(column, "is not an ISO-8601 time", value);
    }
  }

  /**
   * JSON text as canonical JSON (sorted keys, no spaces, exact numbers). Text that is not JSON is
   * kept, wrapped as {@code {"value": "..."}}, never dropped.
   */
  public static String json(String value) {
    if (value == null) {
      return null;
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(value);
    } catch (JsonProcessingException notJson) {
      tree = null;
    }
    if (tree == null || tree.isMissingNode()) {
      ObjectNode wrapped = JSON.createObjectNode();
      wrapped.put("value", value);
      tree = wrapped;
    }
    return canonical(tree);
  }

  /** A JSON tree as canonical text, with U+0000 replaced as in {@link #text}. */
  public static String canonical(JsonNode tree) {
    try {
      String canonical = JSON.writeValueAsString(tree);
      // Jackson writes U+0000 as an escape; the tree is rebuilt only in that rare case.
      return canonical.contains("\\u0000") ? JSON.writeValueAsString(withoutNul(tree)) : canonical;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  /** Parses JSON text strictly: one value, nothing after it. */
  public static JsonNode parse(byte[] json) throws IOException {
    return JSON.readTree(json);
  }

  public static ObjectNode newObject() {
    return JSON.createObjectNode();
  }

  /** PostgreSQL's timestamptz and ISO text without a sign both end at year 9999. */
  private static String inRange(String column, Instant instant, String value)
      throws UnmappableValueException {
    if (instant.isBefore(FIRST_INSTANT) || !instant.isBefore(AFTER_LAST_INSTANT)) {
      throw new UnmappableValueException(column, "is outside the years 1 to 9999", value);
    }
    return instant.toString();
  }

  /** 'T' between date and time, and offsets written +HH:MM ({@code +0530}, {@code +05}). */
  private static String isoWithT(String value) {
    if (value.length() <= 10) {
      return value;
    }
    String withT =
        value.charAt(10) == ' ' ? value.substring(0, 10) + 'T' + value.substring(11) : value;
    return SHORT_OFFSET
        .matcher(withT)
        .replaceFirst(
            match -> match.group(1) + ":" + (match.group(2) == null ? "00" : match.group(2)));
  }

  private static JsonNode withoutNul(JsonNode node) {
    if (node.isTextual() && node.textValue().contains(NUL)) {
      return TextNode.valueOf(text(node.textValue()));
    }
    if (node.isObject()) {
      ObjectNode cleaned = JSON.createObjectNode();
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        cleaned.set(text(field.getKey()), withoutNul(field.getValue()));
      }
      return cleaned;
    }
    if (node.isArray()) {
      var cleaned = JSON.createArrayNode();
      node.forEach(element -> cleaned.add(withoutNul(element)));
      return cleaned;
    }
    return node;
  }
}
