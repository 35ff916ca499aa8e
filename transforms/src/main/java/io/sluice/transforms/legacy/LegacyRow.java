package io.sluice.transforms.legacy;

import java.util.List;

/**
 * A row of a legacy table as SQLite returned it (every value as text, NULL as {@code null}), with
 * the conversions of {@link LegacyValues} by column name. A column the file's version of the table
 * lacks reads as NULL.
 */
public final class LegacyRow {
  private final String source;
  private final List<String> columns;
  private final List<String> values;

  LegacyRow(String source, List<String> columns, List<String> values) {
    this.source = source;
    this.columns = columns;
    this.values = values;
  }

  /** The legacy store, {@code <file>#<table>}. */
  public String source() {
    return source;
  }

  public String raw(String column) {
    int position = columns.indexOf(column);
    return position < 0 ? null : values.get(position);
  }

  public String text(String column) {
    return LegacyValues.text(raw(column));
  }

  /** The column's text, which must be there: it is part of the row's identity. */
  public String required(String column) throws UnmappableValueException {
    String value = text(column);
    if (value == null) {
      throw new UnmappableValueException(column, "is missing", "NULL");
    }
    return value;
  }

  public String integer(String column) throws UnmappableValueException {
    return LegacyValues.integer(column, raw(column));
  }

  public String time(String column) throws UnmappableValueException {
    return LegacyValues.time(column, raw(column));
  }

  public String json(String column) {
    return LegacyValues.json(raw(column));
  }
}
